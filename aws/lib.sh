#!/usr/bin/env bash
# Shared by deploy.sh, rollback.sh, rotate-keys.sh, provision.sh and service-parameters.sh (sourced,
# not run). The sourcing script sets: environment (the environment name) and script_name (for logs).
# shellcheck disable=SC2154
# Deployment state lives in SSM under /audiobook-deploy/<env>/ — outside /audiobook/<env>/, the only
# path the API may read. Deployment records (template, package, parameters of each deploy) live in
# the artifacts bucket under deployments/.

log() { printf '[%s] %s\n' "${script_name:-aws}" "$*"; }

# die MESSAGE: stops the whole script, also from inside a command substitution — "$(state_get …)"
# runs in a subshell, whose exit alone would let the script go on with an empty answer.
die() {
  printf '[%s] %s\n' "${script_name:-aws}" "$*" >&2
  if ((BASH_SUBSHELL > 0)); then
    kill -s TERM "$$"
  fi
  exit 1
}
trap 'exit 1' TERM

# require TOOL...: what a script needs, said before anything is changed rather than halfway through.
require() {
  ((BASH_VERSINFO[0] >= 4)) || die "bash 4 or newer is needed (this is ${BASH_VERSION}); on macOS: brew install bash"
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "${tool} is needed and is not on PATH"
  done
}

# aws_read ABSENT ARGS...: an AWS CLI read. Prints what it answered; prints nothing when the thing
# does not exist (the error names ABSENT, e.g. ParameterNotFound). Any other failure — throttling, an
# expired session, no network — stops the script: taking it for "absent" would, say, mint a new key
# over a live one.
aws_read() {
  local absent="$1" out err message
  shift
  err="$(mktemp)"
  if out="$(aws "$@" 2>"$err")"; then
    rm -f "$err"
    printf '%s' "$out"
    return 0
  fi
  message="$(tr '\n' ' ' <"$err")"
  rm -f "$err"
  if grep -q -- "$absent" <<<"$message"; then
    return 0
  fi
  die "aws $1 $2 failed: ${message}(stopping: this is not an answer)"
}

state_get() {
  aws_read ParameterNotFound ssm get-parameter --name "/audiobook-deploy/${environment}/$1" --query Parameter.Value --output text
}

# state_put NAME VALUE: SSM has no empty parameters; an empty value is an absent one.
state_put() {
  if [[ -z "$2" ]]; then
    state_delete "$1"
  else
    aws ssm put-parameter --name "/audiobook-deploy/${environment}/$1" --type String --overwrite --value "$2" >/dev/null
  fi
}

state_delete() {
  aws_read ParameterNotFound ssm delete-parameter --name "/audiobook-deploy/${environment}/$1" >/dev/null
}

# secret_get NAME: a SecureString's decrypted value, or nothing when it does not exist.
secret_get() {
  aws_read ParameterNotFound ssm get-parameter --name "$1" --with-decryption --query Parameter.Value --output text
}

# put_secret NAME: stores standard input as a SecureString through a private file (no argv, no logs).
put_secret() {
  local input
  input="$(umask 077 && mktemp)"
  python3 -c 'import json,sys; print(json.dumps({"Name": sys.argv[1], "Type": "SecureString", "Overwrite": True, "Value": sys.stdin.read()}))' "$1" >"$input"
  aws ssm put-parameter --cli-input-json "file://${input}" >/dev/null
  rm -f "$input"
}

account_id() { aws sts get-caller-identity --query Account --output text; }

# bucket_exists BUCKET: true when it is there, false when it is not; any other answer (a bucket of
# that name owned by another account, no network) stops the script.
bucket_exists() {
  local err status=0
  err="$(mktemp)"
  aws s3api head-bucket --bucket "$1" >/dev/null 2>"$err" || status=$?
  if ((status == 0)); then
    rm -f "$err"
    return 0
  fi
  if grep -q "Not Found\|(404)" "$err"; then
    rm -f "$err"
    return 1
  fi
  die "aws s3api head-bucket $1 failed: $(tr '\n' ' ' <"$err")"
}

artifacts_bucket() { echo "audiobook-${environment}-artifacts-$(account_id)-${AWS_REGION}"; }

service_stack() { echo "audiobook-${environment}-service"; }

# stack_status STACK: its status, or NONE when there is no such stack.
stack_status() {
  local status
  status="$(aws_read "does not exist" cloudformation describe-stacks --stack-name "$1" --query 'Stacks[0].StackStatus' --output text)"
  echo "${status:-NONE}"
}

stack_output() {
  aws cloudformation describe-stacks --stack-name "$1" --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue" --output text
}

# current_output NAME: an output of the running service stack.
current_output() { stack_output "$(service_stack)" "$1"; }

# current_parameter NAME: the running service stack's value of a parameter (nothing when none).
current_parameter() {
  local value
  value="$(aws_read "does not exist" cloudformation describe-stacks --stack-name "$(service_stack)" \
    --query "Stacks[0].Parameters[?ParameterKey=='$1'].ParameterValue" --output text)"
  [[ "$value" == None ]] || printf '%s' "$value"
}

# The slot whose key the next deploy makes the signing one: a staged slot activated by
# rotate-keys.sh --cloudfront-activate, else the one that signs now.
next_active_slot() {
  local next
  next="$(state_get CloudFront/NextActiveSlot)"
  printf '%s' "${next:-$(state_get CloudFront/ActiveSlot)}"
}

# service_parameters BUCKET VERSION WEB_ORIGINS ALARM_EMAIL OTEL_LAYER [AUDIO_DOMAIN AUDIO_CERTIFICATE]:
# the service stack's parameters as CloudFormation's JSON list, with the signing keys, the signing
# slot and the secrets' version from deployment state. aws/service-parameters.sh prints the same list for the production-like profile.
service_parameters() {
  python3 -c 'import json, sys
names = ["EnvironmentName", "PackageBucket", "PackageKey", "WebOrigins", "AlarmEmail", "OtelCollectorLayerArn",
         "AudioDomainName", "AudioCertificateArn", "PublicKeyA", "PublicKeyB", "ActiveKeySlot", "SecretsVersion"]
print(json.dumps([{"ParameterKey": n, "ParameterValue": v} for n, v in zip(names, sys.argv[1:])], indent=1))' \
    "$environment" "$1" "packages/$2.zip" "$3" "$4" "$5" "${6:-}" "${7:-}" \
    "$(state_get CloudFront/PublicKeyA)" "$(state_get CloudFront/PublicKeyB)" \
    "$(next_active_slot)" "$(state_get Secrets/Version)"
}

# The parameters deployment state decides, whatever deployment record is redeployed: keys are state,
# not code (a rolled-back template still trusts and signs with the keys that exist now).
with_current_keys() {
  python3 -c 'import json, sys
parameters = json.load(open(sys.argv[1]))
current = dict(zip(["PublicKeyA", "PublicKeyB", "ActiveKeySlot", "SecretsVersion"], sys.argv[2:]))
print(json.dumps([{"ParameterKey": p["ParameterKey"], "ParameterValue": current.get(p["ParameterKey"], p["ParameterValue"])} for p in parameters], indent=1))' \
    "$1" "$(state_get CloudFront/PublicKeyA)" "$(state_get CloudFront/PublicKeyB)" "$(next_active_slot)" "$(state_get Secrets/Version)"
}

# deploy_service TEMPLATE_KEY PARAMETERS_FILE: deploys the service stack from the template stored at
# TEMPLATE_KEY in the artifacts bucket, with these parameters, through a change set; prints what it
# changes, and stops (non-zero) unless the stack ends the deploy complete.
deploy_service() {
  local template_key="$1" parameters="$2"
  local stack bucket change type status
  stack="$(service_stack)"
  bucket="$(artifacts_bucket)"
  status="$(stack_status "$stack")"
  case "$status" in
    NONE) type=CREATE ;;
    ROLLBACK_COMPLETE)
      # Its first creation failed and rolled back: such a stack can only be deleted. It holds no data.
      log "${stack} is in ROLLBACK_COMPLETE (its first creation failed); deleting it to create it again (the data stack is not touched)"
      aws cloudformation delete-stack --stack-name "$stack"
      aws cloudformation wait stack-delete-complete --stack-name "$stack"
      type=CREATE ;;
    *_IN_PROGRESS) die "${stack} is busy (${status}); wait for it to finish, then deploy again" ;;
    UPDATE_ROLLBACK_FAILED | DELETE_FAILED | *_FAILED)
      die "${stack} is in ${status}: see its events in the CloudFormation console (docs/rollback.md, 'When a deploy fails'); nothing was changed" ;;
    *) type=UPDATE ;;
  esac
  change="deploy-$(date +%Y%m%d%H%M%S)"
  log "change set ${change} (${type}) for ${stack} from ${template_key}"
  aws cloudformation create-change-set --stack-name "$stack" --change-set-name "$change" --change-set-type "$type" \
    --template-url "https://${bucket}.s3.${AWS_REGION}.amazonaws.com/${template_key}" \
    --parameters "file://${parameters}" --capabilities CAPABILITY_IAM >/dev/null
  if ! aws cloudformation wait change-set-create-complete --stack-name "$stack" --change-set-name "$change" 2>/dev/null; then
    local reason
    reason="$(aws cloudformation describe-change-set --stack-name "$stack" --change-set-name "$change" --query StatusReason --output text)"
    aws cloudformation delete-change-set --stack-name "$stack" --change-set-name "$change" >/dev/null 2>&1 || true
    if grep -q "didn't contain changes" <<<"$reason"; then
      log "nothing to change in ${stack}"
      return 0
    fi
    die "the change set was refused: ${reason}"
  fi
  log "what this deploy changes:"
  aws cloudformation describe-change-set --stack-name "$stack" --change-set-name "$change" \
    --query 'Changes[].ResourceChange.[Action,LogicalResourceId,ResourceType,Replacement]' --output text | sed 's/^/  /'
  aws cloudformation execute-change-set --stack-name "$stack" --change-set-name "$change"
  local until="stack-update-complete"
  [[ "$type" == CREATE ]] && until="stack-create-complete"
  if ! aws cloudformation wait "$until" --stack-name "$stack"; then
    log "the deploy failed; CloudFormation's reasons:"
    aws cloudformation describe-stack-events --stack-name "$stack" \
      --query "StackEvents[?contains(ResourceStatus,'FAILED')].[LogicalResourceId,ResourceStatusReason]" --output text | head -n 10 | sed 's/^/  /'
    die "${stack} is now $(stack_status "$stack"): the previous version still runs (docs/rollback.md); nothing was recorded"
  fi
  log "${stack} deployed"
}

# record_deployment VERSION TEMPLATE_KEY PARAMETERS_FILE: what was deployed, kept so a rollback
# redeploys exactly that (template, package, parameters); the previous record becomes Previous.
record_deployment() {
  local version="$1" template_key="$2" parameters="$3" id record current
  id="$(date -u +%Y%m%dT%H%M%SZ)-${version}"
  record="$(mktemp)"
  python3 -c 'import json, sys
print(json.dumps({"deployment": sys.argv[1], "version": sys.argv[2], "template": sys.argv[3],
                  "parameters": json.load(open(sys.argv[4]))}, indent=1))' "$id" "$version" "$template_key" "$parameters" >"$record"
  aws s3 cp "$record" "s3://$(artifacts_bucket)/deployments/${id}.json" --only-show-errors
  rm -f "$record"
  current="$(state_get Deployment/Current)"
  [[ -z "$current" ]] || state_put Deployment/Previous "$current"
  state_put Deployment/Current "$id"
  # The signing slot the deploy activated is the one that signs now.
  local next
  next="$(state_get CloudFront/NextActiveSlot)"
  if [[ -n "$next" ]]; then
    state_put CloudFront/ActiveSlot "$next"
    state_delete CloudFront/NextActiveSlot
    log "CloudFront key slot ${next} signs now"
  fi
  log "recorded deployment ${id}"
}
