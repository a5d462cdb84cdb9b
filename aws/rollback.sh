#!/usr/bin/env bash
# Rolls the service stack (API code and its template) back to a recorded deployment: exactly the
# template, package and parameters that deployment used — only the signing keys and the secrets'
# version are today's, because keys are state, not code (docs/rollback.md). Data is untouched: the
# data stack is not part of a rollback. Running it twice rolls forward again.
set -euo pipefail
script_name=rollback
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "${here}/lib.sh"

usage() {
  cat <<'USAGE'
Usage: aws/rollback.sh --environment NAME [--to DEPLOYMENT | --list]

  --environment NAME  staging, production, ...
  --to DEPLOYMENT     a recorded deployment (see --list; default: the one before the current)
  --list              list the recorded deployments, newest last
  -h, --help          show this help
USAGE
}

environment=""
target=""
list=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) environment="$2"; shift 2 ;;
    --to) target="$2"; shift 2 ;;
    --list) list=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "rollback: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$environment" ]] || { usage >&2; exit 2; }
require aws python3
[[ -n "${AWS_REGION:-}" ]] || die "AWS_REGION must be set"
export AWS_DEFAULT_REGION="$AWS_REGION"
bucket="$(artifacts_bucket)"

if [[ "$list" == true ]]; then
  aws s3 ls "s3://${bucket}/deployments/" | awk '{print $4}' | sed 's/\.json$//'
  exit 0
fi

current="$(state_get Deployment/Current)"
[[ -n "$target" ]] || target="$(state_get Deployment/Previous)"
[[ -n "$target" ]] || die "no previous deployment recorded for ${environment} (aws/rollback.sh --list)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
aws s3 cp "s3://${bucket}/deployments/${target}.json" "${work}/record.json" --only-show-errors \
  || die "no deployment ${target} recorded in s3://${bucket}/deployments/ (aws/rollback.sh --list)"
read -r version template_key < <(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["version"], r["template"])' "${work}/record.json")
python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))["parameters"], open(sys.argv[2], "w"))' "${work}/record.json" "${work}/recorded.json"
with_current_keys "${work}/recorded.json" >"${work}/parameters.json"

log "rolling ${environment} back from ${current:-(none)} to ${target}: package ${version}, template ${template_key}, its own parameters"
deploy_service "$template_key" "${work}/parameters.json"
record_deployment "$version" "$template_key" "${work}/parameters.json"
log "done; verify with aws/smoke.sh --base-url $(current_output ApiUrl)"
