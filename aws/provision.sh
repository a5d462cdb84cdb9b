#!/usr/bin/env bash
# Deploys (creates or updates) the stateful stack from aws/data.yaml, makes sure the environment's
# secrets exist in SSM Parameter Store, and writes the stack's outputs to a JSON file.
# The AppHost runs it against the local emulator (AWS_ENDPOINT_URL set); operators run it against AWS.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: aws/provision.sh [options]

  --environment NAME    environment name: local, staging, production (default: local)
  --web-origin ORIGIN   browser origin allowed to upload/play from the bucket; repeatable
  --api-url URL         the API's URL: the web player it serves uploads from this origin, which the
                        bucket's CORS therefore always allows (default, with no origin at all:
                        http://localhost:5080)
  --outputs-file PATH   write the data stack's outputs there as JSON [{OutputKey, OutputValue}]
  --emulator            also apply through the S3 and DynamoDB APIs what an emulator's
                        CloudFormation ignores: the bucket's CORS and lifecycle rules, TTL
  --distribution-arn A  the edge stack's CloudFront distribution, granted read access to the bucket
                        (default: keep the value the stack has)
  --cloudfront-key      also make sure a CloudFront signing key exists: the first one is made by
                        aws/rotate-keys.sh --cloudfront, as aws/deploy.sh makes it
  -h, --help            show this help

The AWS CLI reads the region, credentials and any AWS_ENDPOINT_URL from the environment.
USAGE
}

# The origin (scheme://host[:port]) of a URL.
origin_of() {
  local url="$1"
  [[ "$url" =~ ^(https?://[^/?#]+) ]] || { echo "provision: '$url' is not an http(s) URL" >&2; exit 2; }
  printf '%s' "${BASH_REMATCH[1],,}"
}

environment=local
origins=()
outputs_file=""
emulator=false
cloudfront_key=false
distribution_arn=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) environment="$2"; shift 2 ;;
    --web-origin) origins+=("$2"); shift 2 ;;
    --api-url) origins+=("$(origin_of "$2")"); shift 2 ;;
    --outputs-file) outputs_file="$2"; shift 2 ;;
    --emulator) emulator=true; shift ;;
    --cloudfront-key) cloudfront_key=true; shift ;;
    --distribution-arn) distribution_arn="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "provision: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ ${#origins[@]} -gt 0 ]] || origins=("http://localhost:5080")
mapfile -t origins < <(printf '%s\n' "${origins[@]}" | awk '!seen[$0]++')

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
script_name=provision
# shellcheck source=lib.sh
source "${here}/lib.sh"
require aws python3 openssl
stack="audiobook-${environment}-data"
origins_csv="$(IFS=,; echo "${origins[*]}")"
parameters=(
  "ParameterKey=EnvironmentName,ParameterValue=${environment}"
  "ParameterKey=WebOrigins,ParameterValue=\"${origins_csv}\""
)

deploy_data_stack() {
  # create-stack/update-stack rather than 'cloudformation deploy': the emulator leaves a
  # change set's outputs empty (shared/ENVIRONMENT.md), and both behave the same on AWS.
  local body="file://${here}/data.yaml" status
  status="$(stack_status "$stack")"
  case "$status" in
    NONE | *_COMPLETE) ;;
    *) die "${stack} is in ${status}; it holds the environment's data and is never deleted or recreated by a script: see docs/rollback.md ('When a deploy fails')" ;;
  esac
  if [[ "$status" == ROLLBACK_COMPLETE ]]; then
    die "${stack} is in ROLLBACK_COMPLETE: its first creation failed. Its bucket and tables are retained; delete the stack (not them) by hand after checking, then deploy again (docs/rollback.md)"
  fi
  if [[ "$status" != NONE ]]; then
    if [[ -n "$distribution_arn" ]]; then
      parameters+=("ParameterKey=CloudFrontDistributionArn,ParameterValue=${distribution_arn}")
    else
      parameters+=("ParameterKey=CloudFrontDistributionArn,UsePreviousValue=true")
    fi
    log "updating stack ${stack}"
    local out
    if out="$(aws cloudformation update-stack --stack-name "$stack" --template-body "$body" \
        --parameters "${parameters[@]}" 2>&1)"; then
      aws cloudformation wait stack-update-complete --stack-name "$stack"
    elif grep -q 'No updates are to be performed' <<<"$out"; then
      log "stack ${stack} is up to date"
    else
      echo "$out" >&2
      return 1
    fi
  else
    parameters+=("ParameterKey=CloudFrontDistributionArn,ParameterValue=${distribution_arn}")
    log "creating stack ${stack}"
    aws cloudformation create-stack --stack-name "$stack" --template-body "$body" \
      --parameters "${parameters[@]}" --enable-termination-protection >/dev/null
    aws cloudformation wait stack-create-complete --stack-name "$stack"
  fi
}

output_value() {
  aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

# The bucket's CorsConfiguration of aws/data.yaml, for the same origins as the stack's WebOrigins.
apply_bucket_cors() {
  local bucket cors_file
  bucket="$(output_value AudioBucketName)"
  cors_file="$(mktemp)"
  python3 "${here}/emulator_rules.py" cors "${here}/data.yaml" "$origins_csv" >"$cors_file"
  aws s3api put-bucket-cors --bucket "$bucket" --cors-configuration "file://${cors_file}"
  rm -f "$cors_file"
  log "CORS applied to ${bucket} for ${origins_csv}"
}

# Emulators (moto) also ignore a bucket's LifecycleConfiguration and a table's TimeToLiveSpecification:
# the template's own settings, read by emulator_rules.py, go through the S3 and DynamoDB APIs.
apply_emulator_rules() {
  local bucket rules_file table attribute
  bucket="$(output_value AudioBucketName)"
  rules_file="$(mktemp)"
  python3 "${here}/emulator_rules.py" lifecycle "${here}/data.yaml" >"$rules_file"
  aws s3api put-bucket-lifecycle-configuration --bucket "$bucket" --lifecycle-configuration "file://${rules_file}"
  rm -f "$rules_file"
  log "lifecycle rules of data.yaml applied to ${bucket}"
  while read -r table attribute; do
    aws dynamodb update-time-to-live --table-name "$table" \
      --time-to-live-specification "Enabled=true,AttributeName=${attribute}" >/dev/null 2>&1 || true
    log "TTL on ${table}.${attribute}"
  done < <(python3 "${here}/emulator_rules.py" ttl "${here}/data.yaml" "$environment")
}

# Creates a random SecureString parameter unless it exists. Only "not found" means it does not: any
# other failure stops the script, which would otherwise replace a live key (and sign everyone out).
ensure_secret() {
  local name="/audiobook/${environment}/$1" bytes="$2"
  if [[ -n "$(secret_get "$name")" ]]; then
    log "secret ${name} exists"
    return
  fi
  openssl rand -base64 "$bytes" | tr -d '\n' | put_secret "$name"
  log "secret ${name} written"
}

deploy_data_stack
if [[ "$emulator" == true ]]; then
  apply_bucket_cors
  apply_emulator_rules
fi
ensure_secret Jwt/SigningKey 64
if [[ "$cloudfront_key" == true ]]; then
  if [[ -z "$(state_get CloudFront/ActiveSlot)" ]]; then
    bash "${here}/rotate-keys.sh" --environment "$environment" --cloudfront
  else
    log "CloudFront signing key in slot $(state_get CloudFront/ActiveSlot) exists"
  fi
fi

if [[ -n "$outputs_file" ]]; then
  mkdir -p "$(dirname "$outputs_file")"
  aws cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].Outputs' --output json >"$outputs_file"
  log "outputs written to ${outputs_file}"
fi
log "done: stack ${stack} ready"
