#!/usr/bin/env bash
# Prints the parameters aws/deploy.sh gives the service stack (aws/service.yaml), as CloudFormation's
# JSON list: the signing keys, the active key slot and the secrets' version from the environment's
# deployment state, and the settings given here. The AppHost's production-like profile resolves the
# template with exactly these values, against the emulator's state, so both read the same code.
set -euo pipefail
script_name=service-parameters
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "${here}/lib.sh"

usage() {
  cat <<'USAGE'
Usage: aws/service-parameters.sh --environment NAME [options]

  --environment NAME   staging, production, local ...
  --version VERSION    the package version (default: local)
  --web-origin ORIGIN  browser origin of a separately hosted web app; repeatable
  --alarm-email ADDR   the alarm subscription
  --otel-layer ARN     the OpenTelemetry collector layer
  -h, --help           show this help

Uses the AWS CLI's credentials (and AWS_ENDPOINT_URL, for an emulator).
USAGE
}

environment=""
version=local
origins=()
alarm_email=""
otel_layer=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) environment="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --web-origin) origins+=("$2"); shift 2 ;;
    --alarm-email) alarm_email="$2"; shift 2 ;;
    --otel-layer) otel_layer="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "service-parameters: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$environment" ]] || { usage >&2; exit 2; }
require aws python3
service_parameters "$(artifacts_bucket)" "$version" "$(IFS=,; echo "${origins[*]:-}")" "$alarm_email" "$otel_layer"
