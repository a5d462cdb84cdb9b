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
#
# The JWT key rotates in three steps, each followed by aws/deploy.sh, and signs nobody out: every
# token names its key (kid) and every instance verifies with all keys it was given.
#   --jwt            stage a new key: verified everywhere, signs nothing yet
#   --jwt-activate   the staged key signs; the old one still verifies (Jwt/PreviousSigningKey)
#   --jwt-retire     drop the old key (after Jwt:AccessTokenLifetime, when its last token has expired)
# Each step bumps Secrets/Version, a parameter of the service stack, so every Lambda instance is
# replaced and reads the keys again.
set -euo pipefail
script_name=rotate-keys
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "${here}/lib.sh"

usage() {
  cat <<'USAGE'
Usage: aws/rotate-keys.sh --environment NAME (--cloudfront | --retire-idle | --jwt | --jwt-activate | --jwt-retire)

  --environment NAME  staging, production, ...
  --cloudfront        create a CloudFront key pair in the idle slot and make it the active one
  --retire-idle       delete the idle slot's key (after the URLs it signed have expired)
  --jwt               stage a new JWT signing key (verifies tokens, signs none yet)
  --jwt-activate      sign with the staged key; keep the old one for verifying
  --jwt-retire        drop the old JWT key once its tokens have expired
  -h, --help          show this help
USAGE
}

environment=""
action=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) environment="$2"; shift 2 ;;
    --cloudfront|--retire-idle|--jwt|--jwt-activate|--jwt-retire) action="$1"; shift ;;
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

# get_secret NAME: the decrypted value, or nothing when the parameter does not exist.
get_secret() {
  aws ssm get-parameter --name "$1" --with-decryption --query Parameter.Value --output text 2>/dev/null || true
}

jwt="/audiobook/${environment}/Jwt"
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
    [[ -z "$(get_secret "${jwt}/NextSigningKey")" ]] || die "a JWT key is already staged; run --jwt-activate first"
    openssl rand -base64 64 | tr -d '\n' | put_secret "${jwt}/NextSigningKey"
    log "new JWT key staged (verifies, does not sign yet); run aws/deploy.sh, then --jwt-activate"
    ;;
  --jwt-activate)
    next="$(get_secret "${jwt}/NextSigningKey")"
    [[ -n "$next" ]] || die "no staged JWT key; run --jwt first"
    get_secret "${jwt}/SigningKey" | tr -d '\n' | put_secret "${jwt}/PreviousSigningKey"
    printf '%s' "$next" | put_secret "${jwt}/SigningKey"
    aws ssm delete-parameter --name "${jwt}/NextSigningKey"
    log "staged JWT key now signs; the old one still verifies; run aws/deploy.sh, then --jwt-retire after the access token lifetime"
    ;;
  --jwt-retire)
    aws ssm delete-parameter --name "${jwt}/PreviousSigningKey" 2>/dev/null || true
    log "old JWT key dropped; run aws/deploy.sh"
    ;;
esac
if [[ "$action" == --jwt* ]]; then
  state_put Secrets/Version "$(date -u +%Y%m%dT%H%M%SZ)"
fi
