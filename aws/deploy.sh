#!/usr/bin/env bash
# Deploys an environment from zero, or redeploys it: data stack (aws/data.yaml, retained and
# termination-protected) and secrets → signing key → API package → service stack (aws/service.yaml)
# through a change set → the bucket grants read access to the new distribution → outputs.
set -euo pipefail
script_name=deploy
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "${here}/lib.sh"

usage() {
  cat <<'USAGE'
Usage: aws/deploy.sh --environment NAME [options]

  --environment NAME   staging, production, ...
  --web-origin ORIGIN  browser origin of a separately hosted web app (CORS); repeatable
  --alarm-email ADDR   subscribe this address to the alarms
  --otel-layer ARN     OpenTelemetry collector layer forwarding OTLP to CloudWatch / X-Ray
  --package ZIP        deploy this package instead of building one (aws/package.sh)
  -h, --help           show this help

Uses the AWS CLI's credentials; AWS_REGION must be set. Run aws/smoke.sh against the printed ApiUrl afterwards.
USAGE
}

environment=""
origins=()
alarm_email=""
otel_layer=""
package=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) environment="$2"; shift 2 ;;
    --web-origin) origins+=("$2"); shift 2 ;;
    --alarm-email) alarm_email="$2"; shift 2 ;;
    --otel-layer) otel_layer="$2"; shift 2 ;;
    --package) package="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$environment" ]] || { usage >&2; exit 2; }
[[ -n "${AWS_REGION:-}" ]] || die "AWS_REGION must be set"
[[ -z "${AWS_ENDPOINT_URL:-}" ]] || die "AWS_ENDPOINT_URL is set: deploy.sh talks to AWS itself (the AppHost provisions emulators)"
web_origins="$(IFS=,; echo "${origins[*]:-}")"
export AWS_DEFAULT_REGION="$AWS_REGION"

log "1/6 data stack and secrets"
# The bucket's CORS admits the web origins given and always the API's own: it serves the web player,
# whose uploads go straight to the bucket. A first deploy has no API yet; step 5 adds it.
origin_args=()
for origin in "${origins[@]}"; do origin_args+=(--web-origin "$origin"); done
service_stack="audiobook-${environment}-service"
if aws cloudformation describe-stacks --stack-name "$service_stack" >/dev/null 2>&1; then
  origin_args+=(--api-url "$(stack_output "$service_stack" ApiUrl)")
fi
bash "${here}/provision.sh" --environment "$environment" "${origin_args[@]}"

log "2/6 CloudFront signing key"
if [[ -z "$(state_get CloudFront/ActiveSlot)" ]]; then
  bash "${here}/rotate-keys.sh" --environment "$environment" --cloudfront
fi

log "3/6 package"
bucket="$(artifacts_bucket)"
if ! aws s3api head-bucket --bucket "$bucket" 2>/dev/null; then
  if [[ "$AWS_REGION" == us-east-1 ]]; then
    aws s3api create-bucket --bucket "$bucket" >/dev/null
  else
    aws s3api create-bucket --bucket "$bucket" --create-bucket-configuration "LocationConstraint=${AWS_REGION}" >/dev/null
  fi
  aws s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
  aws s3api put-bucket-encryption --bucket "$bucket" --server-side-encryption-configuration \
    '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'
fi
[[ -n "$package" ]] || package="$(bash "${here}/package.sh")"
version="$(basename "$package" .zip)"
version="${version#audiobook-api-}"
aws s3 cp "$package" "s3://${bucket}/packages/${version}.zip" --only-show-errors
aws s3 cp "${here}/service.yaml" "s3://${bucket}/packages/${version}.yaml" --only-show-errors

log "4/6 service stack"
deploy_service "$version" "$web_origins" "$alarm_email" "$otel_layer"

log "5/6 bucket readable by the distribution only, uploads from the API's web player"
bash "${here}/provision.sh" --environment "$environment" "${origin_args[@]}" \
  --api-url "$(stack_output "$service_stack" ApiUrl)" \
  --distribution-arn "$(stack_output "$service_stack" CloudFrontDistributionArn)"

current="$(state_get Package/Current)"
if [[ "$current" != "$version" ]]; then
  [[ -z "$current" ]] || state_put Package/Previous "$current"
  state_put Package/Current "$version"
fi

log "6/6 outputs"
aws cloudformation describe-stacks --stack-name "audiobook-${environment}-data" --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text
aws cloudformation describe-stacks --stack-name "audiobook-${environment}-service" --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text
log "next: aws/smoke.sh --base-url $(stack_output "audiobook-${environment}-service" ApiUrl)"
