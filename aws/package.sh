#!/usr/bin/env bash
# Builds the API's Lambda package: a framework-dependent linux-x64 publish (the dotnet10 managed
# runtime provides .NET) plus run.sh (the handler the Lambda Web Adapter starts) and the
# OpenTelemetry collector's configuration. Prints the zip's path.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: aws/package.sh [--output DIR]

  --output DIR   where to write audiobook-api-<version>.zip (default: .artifacts)
  -h, --help     show this help

The version is the current git commit (with -dirty when the tree has changes).
USAGE
}

output=".artifacts"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --output) output="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "package: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
version="$(git rev-parse --short=12 HEAD)"
[[ -z "$(git status --porcelain)" ]] || version="${version}-dirty"

mkdir -p "$output"
output="$(cd "$output" && pwd)"
publish="$(mktemp -d)"
trap 'rm -rf "$publish"' EXIT

# ReadyToRun: precompiled code cuts the cold start (bench/: first healthy /health ~30 % sooner).
dotnet publish Audiobook.Api/Audiobook.Api.csproj -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$publish" --nologo -v quiet >&2
cp aws/lambda/run.sh aws/lambda/collector.yaml "$publish/"
chmod 755 "$publish/run.sh"

zip_path="${output}/audiobook-api-${version}.zip"
rm -f "$zip_path"
(cd "$publish" && python3 -c 'import os,sys,zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, fs in os.walk("."):
        for f in fs:
            p = os.path.join(d, f)
            info = zipfile.ZipInfo.from_file(p, os.path.relpath(p, "."))
            info.external_attr = (0o755 if f == "run.sh" else 0o644) << 16
            with open(p, "rb") as fh:
                z.writestr(info, fh.read(), zipfile.ZIP_DEFLATED)' "$zip_path")
echo "$zip_path"
