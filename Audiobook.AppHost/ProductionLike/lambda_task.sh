#!/usr/bin/env bash
# The production-like profile's Lambda package: builds it with aws/package.sh when there is none or
# the API's sources changed since it was built, then unpacks it into a task folder as Lambda unpacks
# a function's package into /var/task. The AppHost starts run.sh from there.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: Audiobook.AppHost/ProductionLike/lambda_task.sh --output DIR

  --output DIR   where the package is kept (DIR/audiobook-api-*.zip) and unpacked (DIR/task)
  -h, --help     show this help
USAGE
}

output=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --output) output="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "lambda_task: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$output" ]] || { usage >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mkdir -p "$output"
log() { printf '[package] %s\n' "$*"; }

# What the package is built from: the API, its shared defaults, the Lambda files and the build settings.
sources=(Audiobook.Api Audiobook.ServiceDefaults aws/lambda aws/package.sh Directory.Build.props Directory.Packages.props global.json)
zip="$(find "$output" -maxdepth 1 -name 'audiobook-api-*.zip' -printf '%T@ %p\n' | sort -rn | head -n 1 | cut -d' ' -f2-)"
changed=""
if [[ -n "$zip" ]]; then
  changed="$(find "${sources[@]}" -type f -newer "$zip" -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)"
fi
if [[ -z "$zip" || -n "$changed" ]]; then
  if [[ -z "$zip" ]]; then
    log "no Lambda package yet: building one with aws/package.sh (Native AOT: a few minutes on two cores)"
  else
    log "${changed} changed since $(basename "$zip") was built: building the package again with aws/package.sh"
  fi
  find "$output" -maxdepth 1 -name 'audiobook-api-*.zip' -delete
  zip="$(bash aws/package.sh --output "$output")"
  log "built $(basename "$zip")"
else
  log "$(basename "$zip") is up to date with the sources"
fi

task="${output}/task"
rm -rf "$task"
mkdir -p "$task"
# Unzipped with the modes the package records (run.sh and the executable are 755), as Lambda does.
python3 - "$zip" "$task" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as package:
    for entry in package.infolist():
        path = package.extract(entry, sys.argv[2])
        mode = (entry.external_attr >> 16) & 0o777
        if mode:
            os.chmod(path, mode)
PY
log "unpacked into ${task}: the function runs its run.sh, as Lambda does"
