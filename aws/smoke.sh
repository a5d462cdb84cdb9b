#!/usr/bin/env bash
# The seed's production smoke test (task 12), against any running Audiobook API: register and
# log in → create a book → upload an .m4a straight to storage → complete → fetch the stream URL,
# play a byte range (206) and see the URL refused once tampered with (403) → download URL names
# the file → save and resume progress → a malformed body gets 400 problem+json → clean up →
# refresh the session, sign out, and the refresh token no longer works. Exits non-zero on the
# first failure, saying which step failed. Run before and after every deployment.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: aws/smoke.sh --base-url URL [--audio FILE] [--from ADDRESS]

  --base-url URL   the API, e.g. http://localhost:5080 or the ApiUrl output of the service stack
  --audio FILE     an .m4a to upload (default: Audiobook.AppHost/Demo/Audio/01 - Prelude.m4a)
  --from ADDRESS   send from this local address (curl --interface), e.g. to be another client of
                   the production-like gateway than the browser on 127.0.0.1 (sign-in is limited
                   per client address)
  -h, --help       show this help

Needs curl and jq.
USAGE
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
base=""
curl_from=()
audio="${here}/../Audiobook.AppHost/Demo/Audio/01 - Prelude.m4a"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base-url) base="${2%/}"; shift 2 ;;
    --audio) audio="$2"; shift 2 ;;
    --from) curl_from=(--interface "$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "smoke: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$base" ]] || { usage >&2; exit 2; }
for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "smoke: $tool is required" >&2; exit 2; }
done
[[ -f "$audio" ]] || { echo "smoke: no audio file at $audio" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
step() { printf '[smoke] %s\n' "$*"; }
fail() { printf '[smoke] FAILED: %s\n' "$*" >&2; exit 1; }

# call METHOD PATH EXPECTED_STATUS [JSON]: the body goes to $work/body.
call() {
  local method="$1" path="$2" expected="$3" data="${4:-}" status
  local args=(-sS "${curl_from[@]}" -o "$work/body" -w '%{http_code}' -X "$method" "${base}${path}" -H 'Accept: application/json')
  [[ -n "${token:-}" ]] && args+=(-H "Authorization: Bearer ${token}")
  [[ -n "$data" ]] && args+=(-H 'Content-Type: application/json' --data "$data")
  status="$(curl "${args[@]}")" || fail "$method $path: no answer"
  [[ "$status" == "$expected" ]] || fail "$method $path answered $status, expected $expected: $(head -c 500 "$work/body")"
}

email="smoke-$(date +%s)-$RANDOM@example.com"
password="smoke test passphrase $RANDOM"
token=""

step "health"
call GET /health 200

step "register ${email}"
call POST /api/v1/auth/register 201 "$(jq -nc --arg e "$email" --arg p "$password" '{email:$e,password:$p,displayName:"Smoke Test"}')"

step "log in"
call POST /api/v1/auth/login 200 "$(jq -nc --arg e "$email" --arg p "$password" '{email:$e,password:$p}')"
token="$(jq -r .accessToken "$work/body")"
refresh="$(jq -r .refreshToken "$work/body")"

step "create a book"
call POST /api/v1/books 201 '{"title":"Smoke test","author":"aws/smoke.sh"}'
book="$(jq -r .id "$work/body")"

step "upload $(basename "$audio") straight to storage"
size="$(wc -c <"$audio" | tr -d ' ')"
call POST "/api/v1/books/${book}/uploads" 201 "$(jq -nc --argjson s "$size" '{fileName:"smoke.m4a",contentType:"audio/mp4",sizeBytes:$s}')"
upload="$(jq -r .uploadId "$work/body")"
url="$(jq -r .url "$work/body")"
mapfile -t put_headers < <(jq -r '.headers | to_entries[] | "-H", "\(.key): \(.value)"' "$work/body")
put_status="$(curl -sS -o /dev/null -w '%{http_code}' -X PUT "$url" "${put_headers[@]}" --data-binary @"$audio")"
[[ "$put_status" == 200 ]] || fail "PUT to the presigned URL answered $put_status"

again="$(curl -sS -o /dev/null -w '%{http_code}' -X PUT "$url" "${put_headers[@]}" --data-binary @"$audio")"
[[ "$again" == 412 ]] || fail "a second PUT to the same upload URL answered $again, not 412 (the object must be written once)"

step "complete the upload"
call POST "/api/v1/books/${book}/uploads/${upload}/complete" 201
chapter="$(jq -r .id "$work/body")"
[[ "$(jq -r .status "$work/body")" == ready ]] || fail "the chapter is not ready"

step "stream with Range"
call GET "/api/v1/books/${book}/chapters/${chapter}/stream" 200
stream="$(jq -r .url "$work/body")"
range_status="$(curl -sS -o "$work/range" -w '%{http_code}' -H 'Range: bytes=0-99' "$stream")"
[[ "$range_status" == 206 ]] || fail "Range GET of the stream URL answered $range_status, expected 206"
[[ "$(wc -c <"$work/range" | tr -d ' ')" == 100 ]] || fail "Range GET returned $(wc -c <"$work/range") bytes, expected 100"
cmp -s "$work/range" <(head -c 100 "$audio") || fail "the streamed bytes differ from the uploaded file"
tampered="${stream/.m4a\?/.mp4?}"
[[ "$tampered" != "$stream" ]] || fail "the stream URL does not name the .m4a object: $stream"
tampered_status="$(curl -sS -o /dev/null -w '%{http_code}' -H 'Range: bytes=0-99' "$tampered")"
[[ "$tampered_status" == 403 ]] || fail "a stream URL with its path changed answered $tampered_status, expected 403 (the signature covers the path)"

step "download names the file"
call GET "/api/v1/books/${book}/chapters/${chapter}/download" 200
download="$(jq -r .url "$work/body")"
curl -sS -o /dev/null -D "$work/headers" -H 'Range: bytes=0-0' "$download"
grep -qi '^content-disposition: attachment' "$work/headers" || fail "the download URL does not answer Content-Disposition: attachment"

step "save progress, resume it elsewhere"
call PUT "/api/v1/books/${book}/progress" 200 "$(jq -nc --arg c "$chapter" --arg t "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '{chapterId:$c,positionSeconds:2.5,clientUpdatedAt:$t}')"
call GET /api/v1/me/progress 200
[[ "$(jq -r --arg b "$book" '[.items[] | select(.bookId == $b)][0].positionSeconds' "$work/body")" == 2.5 ]] \
  || fail "continue-listening does not hold the saved position: $(head -c 300 "$work/body")"

step "a malformed request is refused with problem+json"
bad_type="$(curl -sS "${curl_from[@]}" -o "$work/body" -w '%{http_code} %{content_type}' -X POST "${base}/api/v1/books" \
  -H "Authorization: Bearer ${token}" -H 'Content-Type: application/json' --data '{"title":')"
[[ "$bad_type" == "400 application/problem+json"* ]] || fail "a truncated JSON body answered '$bad_type', expected 400 problem+json"

step "clean up"
call DELETE "/api/v1/books/${book}" 204

step "refresh the session, then sign out"
call POST /api/v1/auth/refresh 200 "$(jq -nc --arg r "$refresh" '{refreshToken:$r}')"
token="$(jq -r .accessToken "$work/body")"
refresh="$(jq -r .refreshToken "$work/body")"
call POST /api/v1/auth/logout 204
token=""
call POST /api/v1/auth/refresh 401 "$(jq -nc --arg r "$refresh" '{refreshToken:$r}')"
step "passed against ${base}"
