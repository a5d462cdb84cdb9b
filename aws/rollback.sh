#!/usr/bin/env bash
# Rolls the service stack (API code and its template) back to the previously deployed package.
# Data is untouched: the data stack is not part of a rollback. Running it twice rolls forward again.
set -euo pipefail
script_name=rollback
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "${here}/lib.sh"

usage() {
  cat <<'USAGE'
Usage: aws/rollback.sh --environment NAME [--to VERSION]

  --environment NAME  staging, production, ...
  --to VERSION        a package version from the artifacts bucket (default: the previous one)
  -h, --help          show this help
USAGE
}

environment=""
target=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) environment="$2"; shift 2 ;;
    --to) target="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "rollback: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$environment" ]] || { usage >&2; exit 2; }
[[ -n "${AWS_REGION:-}" ]] || die "AWS_REGION must be set"
export AWS_DEFAULT_REGION="$AWS_REGION"

current="$(state_get Package/Current)"
[[ -n "$target" ]] || target="$(state_get Package/Previous)"
[[ -n "$target" ]] || die "no previous package recorded for ${environment}"
log "rolling ${environment} back from ${current} to ${target}"
# The service stack keeps its other parameters' current values.
deploy_service "$target" "$(current_parameter WebOrigins)" "$(current_parameter AlarmEmail)" "$(current_parameter OtelCollectorLayerArn)"
state_put Package/Previous "$current"
state_put Package/Current "$target"
log "done; verify with aws/smoke.sh --base-url $(stack_output "audiobook-${environment}-service" ApiUrl)"
