#!/usr/bin/env bash
# Shared by deploy.sh, rollback.sh and rotate-keys.sh (sourced, not run).
# The sourcing script sets: environment (the environment name) and script_name (for log lines).
# shellcheck disable=SC2154
# Deployment state lives in SSM under /audiobook-deploy/<env>/ — outside /audiobook/<env>/, the only
# path the API may read.

log() { printf '[%s] %s\n' "${script_name:-aws}" "$*"; }
die() { printf '[%s] %s\n' "${script_name:-aws}" "$*" >&2; exit 1; }

state_get() {
  aws ssm get-parameter --name "/audiobook-deploy/${environment}/$1" --query Parameter.Value --output text 2>/dev/null || true
}

state_put() {
  aws ssm put-parameter --name "/audiobook-deploy/${environment}/$1" --type String --overwrite --value "$2" >/dev/null
}

account_id() { aws sts get-caller-identity --query Account --output text; }

artifacts_bucket() { echo "audiobook-${environment}-artifacts-$(account_id)-${AWS_REGION}"; }

stack_output() {
  aws cloudformation describe-stacks --stack-name "$1" --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue" --output text
}

current_parameter() {
  aws cloudformation describe-stacks --stack-name "audiobook-${environment}-service" \
    --query "Stacks[0].Parameters[?ParameterKey=='$1'].ParameterValue" --output text | sed 's/^None$//'
}

# service_parameters BUCKET VERSION WEB_ORIGINS ALARM_EMAIL OTEL_LAYER: the service stack's parameters
# as CloudFormation's JSON list, with the signing keys, the active slot and the secrets' version from
# deployment state. aws/service-parameters.sh prints the same list for the production-like profile.
service_parameters() {
  python3 -c 'import json, sys
names = ["EnvironmentName", "PackageBucket", "PackageKey", "WebOrigins", "AlarmEmail", "OtelCollectorLayerArn",
         "PublicKeyA", "PublicKeyB", "ActiveKeySlot", "SecretsVersion"]
print(json.dumps([{"ParameterKey": n, "ParameterValue": v} for n, v in zip(names, sys.argv[1:])], indent=1))' \
    "$environment" "$1" "packages/$2.zip" "$3" "$4" "$5" \
    "$(state_get CloudFront/PublicKeyA)" "$(state_get CloudFront/PublicKeyB)" \
    "$(state_get CloudFront/ActiveSlot)" "$(state_get Secrets/Version)"
}

# deploy_service VERSION WEB_ORIGINS ALARM_EMAIL OTEL_LAYER: deploys aws/service.yaml as stored
# with package VERSION, through a change set.
deploy_service() {
  local version="$1" web_origins="$2" alarm_email="$3" otel_layer="$4"
  local stack="audiobook-${environment}-service" bucket change type parameters
  bucket="$(artifacts_bucket)"
  if aws cloudformation describe-stacks --stack-name "$stack" >/dev/null 2>&1; then type=UPDATE; else type=CREATE; fi
  change="deploy-$(date +%Y%m%d%H%M%S)"
  parameters="$(mktemp)"
  service_parameters "$bucket" "$version" "$web_origins" "$alarm_email" "$otel_layer" >"$parameters"
  log "change set ${change} (${type}) for ${stack} with package ${version}"
  aws cloudformation create-change-set --stack-name "$stack" --change-set-name "$change" --change-set-type "$type" \
    --template-url "https://${bucket}.s3.${AWS_REGION}.amazonaws.com/packages/${version}.yaml" \
    --parameters "file://${parameters}" --capabilities CAPABILITY_IAM >/dev/null
  rm -f "$parameters"
  if ! aws cloudformation wait change-set-create-complete --stack-name "$stack" --change-set-name "$change" 2>/dev/null; then
    local reason
    reason="$(aws cloudformation describe-change-set --stack-name "$stack" --change-set-name "$change" --query StatusReason --output text)"
    if grep -q "didn't contain changes" <<<"$reason"; then
      log "nothing to change"
      aws cloudformation delete-change-set --stack-name "$stack" --change-set-name "$change"
      return 0
    fi
    die "change set failed: ${reason}"
  fi
  aws cloudformation execute-change-set --stack-name "$stack" --change-set-name "$change"
  if [[ "$type" == CREATE ]]; then
    aws cloudformation wait stack-create-complete --stack-name "$stack"
  else
    aws cloudformation wait stack-update-complete --stack-name "$stack"
  fi
  log "${stack} deployed"
}
