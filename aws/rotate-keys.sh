#!/usr/bin/env bash
# Creates or rotates an environment's signing keys. Private keys go only into SSM SecureString
# parameters under /audiobook/<env>/ (read by the API); public keys and the active slot are
# deployment state under /audiobook-deploy/<env>/ (read by deploy.sh).
#
# CloudFront keys rotate through two slots without breaking URLs already handed out:
#   aws/rotate-keys.sh --environment production --cloudfront   # new key into the idle slot, made active
#   aws/deploy.sh --environment production                      # both keys trusted, the new one signs
#   (wait until URLs signed with the old key have expired: Streaming:UrlLifetime + CloudFront:TimeBucket)
#   aws/rotate-keys.sh --environment production --retire-idle  # drop the old key
#   aws/deploy.sh --environment production
set -euo pipefail
script_name=rotate-keys
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "${here}/lib.sh"

usage() {
  cat <<'USAGE'
Usage: aws/rotate-keys.sh --environment NAME (--cloudfront | --retire-idle | --jwt)

  --environment NAME  staging, production, ...
  --cloudfront        create a CloudFront key pair in the idle slot and make it the active one
  --retire-idle       delete the idle slot's key (after the URLs it signed have expired)
  --jwt               replace the JWT signing key (signs every user out)
  -h, --help          show this help
USAGE
}

environment=""
action=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) environment="$2"; shift 2 ;;
    --cloudfront|--retire-idle|--jwt) action="$1"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "rotate-keys: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$environment" && -n "$action" ]] || { usage >&2; exit 2; }

# put_secret NAME: stores standard input as a SecureString through a private file (no argv, no logs).
put_secret() {
  local input
  input="$(umask 077 && mktemp)"
  python3 -c 'import json,sys; print(json.dumps({"Name": sys.argv[1], "Type": "SecureString", "Overwrite": True, "Value": sys.stdin.read()}))' "$1" >"$input"
  aws ssm put-parameter --cli-input-json "file://${input}" >/dev/null
  rm -f "$input"
}

active="$(state_get CloudFront/ActiveSlot)"
case "$action" in
  --cloudfront)
    if [[ "$active" == A ]]; then slot=B; else slot=A; fi
    key="$(umask 077 && mktemp)"
    trap 'rm -f "$key"' EXIT
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null
    put_secret "/audiobook/${environment}/CloudFront/Keys/${slot}/PrivateKey" <"$key"
    state_put "CloudFront/PublicKey${slot}" "$(openssl pkey -in "$key" -pubout)"
    state_put CloudFront/ActiveSlot "$slot"
    log "new CloudFront key in slot ${slot}, now active; run aws/deploy.sh --environment ${environment}"
    ;;
  --retire-idle)
    [[ -n "$active" ]] || die "no CloudFront key yet"
    if [[ "$active" == A ]]; then idle=B; else idle=A; fi
    aws ssm delete-parameter --name "/audiobook/${environment}/CloudFront/Keys/${idle}/PrivateKey" 2>/dev/null || true
    aws ssm delete-parameter --name "/audiobook-deploy/${environment}/CloudFront/PublicKey${idle}" 2>/dev/null || true
    log "slot ${idle} emptied; run aws/deploy.sh --environment ${environment}"
    ;;
  --jwt)
    openssl rand -base64 64 | tr -d '\n' | put_secret "/audiobook/${environment}/Jwt/SigningKey"
    log "JWT signing key replaced; the API picks it up on its next cold start (existing tokens stop working)"
    ;;
esac
