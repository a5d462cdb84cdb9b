#!/usr/bin/env bash
# Deploys an environment from zero, or redeploys it: data stack (aws/data.yaml, retained and
# termination-protected) and secrets → signing key → API package → service stack (aws/service.yaml)
# through a change set → the bucket grants read access to the new distribution → outputs. Every
# deploy is recorded (template, package, parameters) for aws/rollback.sh; its settings are kept for
# the next deploy.
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
  --otel-layer ARN     OpenTelemetry collector layer exporting traces to X-Ray (needs X-Ray
                       Transaction Search: docs/deployment.md)
  --audio-domain NAME  serve audio from this domain (e.g. audio.example.com; a DNS CNAME to the
                       distribution, printed in the outputs, is yours to add)
  --audio-certificate ARN  its ACM certificate, in us-east-1 (CloudFront's); needed with --audio-domain
  --package ZIP        deploy this package instead of building one (aws/package.sh)
  -h, --help           show this help

Settings given are kept for the next deploy of the environment (SSM /audiobook-deploy/<env>/Settings/);
a plain redeploy reuses them. An empty value removes one: --alarm-email "" .
Uses the AWS CLI's credentials; AWS_REGION must be set. Run aws/smoke.sh against the printed ApiUrl afterwards.
USAGE
}

environment=""
origins=()
origins_given=false
alarm_email=""
alarm_email_given=false
otel_layer=""
otel_layer_given=false
audio_domain=""
audio_domain_given=false
audio_certificate=""
audio_certificate_given=false
package=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) environment="$2"; shift 2 ;;
    --web-origin) origins_given=true; [[ -z "$2" ]] || origins+=("$2"); shift 2 ;;
    --alarm-email) alarm_email_given=true; alarm_email="$2"; shift 2 ;;
    --otel-layer) otel_layer_given=true; otel_layer="$2"; shift 2 ;;
    --audio-domain) audio_domain_given=true; audio_domain="$2"; shift 2 ;;
    --audio-certificate) audio_certificate_given=true; audio_certificate="$2"; shift 2 ;;
    --package) package="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$environment" ]] || { usage >&2; exit 2; }
require aws python3 openssl sha256sum
[[ -n "${AWS_REGION:-}" ]] || die "AWS_REGION must be set"
[[ -z "${AWS_ENDPOINT_URL:-}" ]] || die "AWS_ENDPOINT_URL is set: deploy.sh talks to AWS itself (the AppHost provisions emulators)"
[[ -z "$package" || -f "$package" ]] || die "no package at ${package}"
export AWS_DEFAULT_REGION="$AWS_REGION"

# setting NAME GIVEN VALUE: the value of a deploy setting — the one given, else the one kept.
setting() {
  local kept
  kept="$(state_get "Settings/$1")"
  if [[ "$2" == true ]]; then
    if [[ "$kept" == "$3" ]]; then
      log "setting $1: ${3:-(none)} (as before)" >&2
    else
      log "setting $1: ${kept:-(none)} → ${3:-(none)}" >&2
    fi
    printf '%s' "$3"
  else
    log "setting $1: ${kept:-(none)} (kept from the last deploy)" >&2
    printf '%s' "$kept"
  fi
}
web_origins="$(setting WebOrigins "$origins_given" "$(IFS=,; echo "${origins[*]:-}")")"
alarm_email="$(setting AlarmEmail "$alarm_email_given" "$alarm_email")"
otel_layer="$(setting OtelLayer "$otel_layer_given" "$otel_layer")"
audio_domain="$(setting AudioDomain "$audio_domain_given" "$audio_domain")"
audio_certificate="$(setting AudioCertificate "$audio_certificate_given" "$audio_certificate")"
[[ -z "$audio_domain" || "$audio_certificate" == arn:*:acm:us-east-1:* ]] \
  || die "--audio-domain ${audio_domain} needs --audio-certificate with the ARN of its ACM certificate in us-east-1 (CloudFront reads certificates there only)"

log "1/7 data stack and secrets"
# The bucket's CORS admits the web origins given and always the API's own: it serves the web player,
# whose uploads go straight to the bucket. A first deploy has no API yet; step 6 adds it.
origin_args=()
IFS=, read -r -a kept_origins <<<"$web_origins"
for origin in "${kept_origins[@]}"; do origin_args+=(--web-origin "$origin"); done
if [[ "$(stack_status "$(service_stack)")" != NONE ]] && api_url="$(current_output ApiUrl 2>/dev/null)" && [[ -n "$api_url" && "$api_url" != None ]]; then
  origin_args+=(--api-url "$api_url")
fi
bash "${here}/provision.sh" --environment "$environment" "${origin_args[@]}"

log "2/7 CloudFront signing key"
if [[ -z "$(next_active_slot)" ]]; then
  bash "${here}/rotate-keys.sh" --environment "$environment" --cloudfront
fi

log "3/7 package and template"
bucket="$(artifacts_bucket)"
if ! bucket_exists "$bucket"; then
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
# Keyed by content: a rebuilt package always reaches Lambda under a key of its own.
name="$(basename "$package" .zip)"
version="${name#audiobook-api-}-$(sha256sum "$package" | cut -c1-12)"
template_key="templates/$(sha256sum "${here}/service.yaml" | cut -c1-12).yaml"
aws s3 cp "$package" "s3://${bucket}/packages/${version}.zip" --only-show-errors
aws s3 cp "${here}/service.yaml" "s3://${bucket}/${template_key}" --only-show-errors
log "package ${version}, template ${template_key}"

if [[ -n "$otel_layer" ]]; then
  log "4/7 traces: X-Ray Transaction Search"
  destination="$(aws xray get-trace-segment-destination --query Destination --output text)"
  [[ "$destination" == CloudWatchLogs ]] || die "--otel-layer sends spans to X-Ray's OTLP endpoint, which takes them only with Transaction Search on (the destination is ${destination}): run 'aws xray update-trace-segment-destination --destination CloudWatchLogs' once per account and Region (docs/deployment.md)"
else
  log "4/7 traces: none beyond Lambda's own (no --otel-layer)"
fi

log "5/7 service stack"
parameters="$(mktemp)"
trap 'rm -f "$parameters"' EXIT
service_parameters "$bucket" "$version" "$web_origins" "$alarm_email" "$otel_layer" "$audio_domain" "$audio_certificate" >"$parameters"
deploy_service "$template_key" "$parameters"
record_deployment "$version" "$template_key" "$parameters"
state_put Settings/WebOrigins "$web_origins"
state_put Settings/AlarmEmail "$alarm_email"
state_put Settings/OtelLayer "$otel_layer"
state_put Settings/AudioDomain "$audio_domain"
state_put Settings/AudioCertificate "$audio_certificate"

log "6/7 bucket readable by the distribution only, uploads from the API's web player"
bash "${here}/provision.sh" --environment "$environment" "${origin_args[@]}" \
  --api-url "$(current_output ApiUrl)" \
  --distribution-arn "$(current_output CloudFrontDistributionArn)"

log "7/7 outputs"
aws cloudformation describe-stacks --stack-name "audiobook-${environment}-data" --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text
aws cloudformation describe-stacks --stack-name "$(service_stack)" --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text
log "next: aws/smoke.sh --base-url $(current_output ApiUrl)"
