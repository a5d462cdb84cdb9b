#!/usr/bin/env bash
# Builds the API's Lambda package: the Native AOT linux-x64 build of the API (one executable, no
# .NET runtime needed), run.sh (the handler the Lambda Web Adapter starts) and the OpenTelemetry
# collector's configuration. Prints the zip's path. Needs a C toolchain for the native link
# (clang, or gcc where clang is missing) — the same the .NET SDK's Native AOT asks for.
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

# The package is a linux-x64 Native AOT executable, which .NET builds only on linux-x64 itself.
if [[ "$(uname -s)" != Linux || "$(uname -m)" != x86_64 ]]; then
  echo "package: the Lambda package can only be built on Linux x64 (this is $(uname -s) $(uname -m)): build it in CI or a Linux x64 machine and pass it to deploy.sh --package" >&2
  exit 1
fi
command -v clang >/dev/null || command -v gcc >/dev/null \
  || { echo "package: Native AOT needs a C toolchain (clang, or gcc) and zlib: apt-get install clang zlib1g-dev" >&2; exit 1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
version="$(git rev-parse --short=12 HEAD)"
[[ -z "$(git status --porcelain)" ]] || version="${version}-dirty"

mkdir -p "$output"
output="$(cd "$output" && pwd)"
publish="$(mktemp -d)"
trap 'rm -rf "$publish"' EXIT

# Native AOT (PublishAot in the project): the cold start and the memory of a Lambda instance are a
# fraction of the JIT build's (bench/results/latest.md). Its debug symbols stay out of the package.
linker=clang
command -v clang >/dev/null || linker=gcc
dotnet publish Audiobook.Api/Audiobook.Api.csproj -c Release -r linux-x64 \
  -p:CppCompilerAndLinker="$linker" -o "$publish" --nologo -v quiet >&2
rm -f "$publish"/*.dbg "$publish"/*.pdb
cp aws/lambda/run.sh aws/lambda/collector.yaml "$publish/"
chmod 755 "$publish/run.sh"

zip_path="${output}/audiobook-api-${version}.zip"
rm -f "$zip_path"
(cd "$publish" && python3 -c 'import os,sys,zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for d, dirs, fs in os.walk("."):
        dirs.sort()
        for f in sorted(fs):
            p = os.path.join(d, f)
            info = zipfile.ZipInfo.from_file(p, os.path.relpath(p, "."))
            info.date_time = (1980, 1, 1, 0, 0, 0)  # the same files make the same zip (deploy keys packages by content)
            info.external_attr = (0o755 if f in ("run.sh", "Audiobook.Api") else 0o644) << 16
            with open(p, "rb") as fh:
                z.writestr(info, fh.read(), zipfile.ZIP_DEFLATED)' "$zip_path")
echo "$zip_path"
