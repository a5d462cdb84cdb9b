#!/usr/bin/env bash
# Creates or rotates an environment's signing keys. Private keys go only into SSM SecureString
# parameters under /audiobook/<env>/ (read by the API); public keys and the slots are deployment
# state under /audiobook-deploy/<env>/ (read by deploy.sh). What a deploy must do takes effect — and
# is recorded as done — only when that deploy succeeds.
#
# CloudFront keys rotate through two slots, each a CloudFront public key of its own: a new key goes
# into the empty slot (a new key resource; a key CloudFront holds is never changed), so URLs already
# handed out keep working:
#   aws/rotate-keys.sh --environment production --cloudfront            # new key into the empty slot
#   aws/deploy.sh --environment production                               # both keys trusted; the old one signs
#   aws/rotate-keys.sh --environment production --cloudfront-activate   # (once CloudFront has the new key)
#   aws/deploy.sh --environment production                               # the new key signs (recorded when it succeeds)
#   (wait until URLs signed with the old key have expired: Streaming:UrlLifetime + Streaming:TimeBucket)
#   aws/rotate-keys.sh --environment production --retire-idle           # drop the old key (never the signing one)
#   aws/deploy.sh --environment production
# The first key of an environment signs from its first deploy.
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
Usage: aws/rotate-keys.sh --environment NAME (--cloudfront | --cloudfront-activate | --retire-idle | --jwt | --jwt-activate | --jwt-retire)

  --environment NAME     staging, production, ...
  --cloudfront           a new CloudFront key pair in the empty slot (trusted after the next deploy)
  --cloudfront-activate  the new slot signs from the next deploy on
  --retire-idle          delete the slot that does not sign (after the URLs it signed have expired)
  --jwt                  stage a new JWT signing key (verifies tokens, signs none yet)
  --jwt-activate         sign with the staged key; keep the old one for verifying
  --jwt-retire           drop the old JWT key once its tokens have expired
  -h, --help             show this help
USAGE
}

environment=""
action=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --environment) environment="$2"; shift 2 ;;
    --cloudfront|--cloudfront-activate|--retire-idle|--jwt|--jwt-activate|--jwt-retire) action="$1"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "rotate-keys: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$environment" && -n "$action" ]] || { usage >&2; exit 2; }

require aws python3 openssl

jwt="/audiobook/${environment}/Jwt"
active="$(state_get CloudFront/ActiveSlot)"
other() { if [[ "$1" == A ]]; then echo B; else echo A; fi; }
case "$action" in
  --cloudfront)
    [[ -z "$(state_get CloudFront/NextActiveSlot)" ]] || die "slot $(state_get CloudFront/NextActiveSlot) is about to sign: deploy it first (aws/deploy.sh)"
    if [[ -z "$active" ]]; then slot=A; else slot="$(other "$active")"; fi
    # CloudFront cannot change a public key in place: the new one goes into an empty slot, as a new key resource.
    [[ -z "$(state_get "CloudFront/PublicKey${slot}")" && -z "$(current_parameter "PublicKey${slot}")" ]] \
      || die "slot ${slot} still holds a key: retire it first (--retire-idle, once the URLs it signed have expired) and deploy"
    key="$(umask 077 && mktemp)"
    trap 'rm -f "$key"' EXIT
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null
    put_secret "/audiobook/${environment}/CloudFront/Keys/${slot}/PrivateKey" <"$key"
    state_put "CloudFront/PublicKey${slot}" "$(openssl pkey -in "$key" -pubout)"
    if [[ -z "$active" ]]; then
      # The environment's first key: no URL exists yet, so it signs from the first deploy on.
      state_put CloudFront/NextActiveSlot "$slot"
      log "first CloudFront key in slot ${slot}; it signs once aws/deploy.sh --environment ${environment} succeeds"
    else
      log "new CloudFront key in slot ${slot}; run aws/deploy.sh --environment ${environment} (slot ${active} still signs), then --cloudfront-activate"
    fi
    ;;
  --cloudfront-activate)
    [[ -n "$active" ]] || die "no CloudFront key signs yet: deploy first"
    slot="$(other "$active")"
    [[ -n "$(state_get "CloudFront/PublicKey${slot}")" ]] || die "slot ${slot} holds no key: run --cloudfront first"
    [[ "$(current_parameter "PublicKey${slot}")" == "$(state_get "CloudFront/PublicKey${slot}")" ]] \
      || die "the running stack does not trust slot ${slot}'s key yet: deploy after --cloudfront first"
    state_put CloudFront/NextActiveSlot "$slot"
    log "slot ${slot} signs once aws/deploy.sh --environment ${environment} succeeds"
    ;;
  --retire-idle)
    [[ -n "$active" ]] || die "no CloudFront key yet"
    idle="$(other "$active")"
    next="$(state_get CloudFront/NextActiveSlot)"
    running="$(current_parameter ActiveKeySlot)"
    # Never the key the running stack signs with, nor the one the next deploy makes sign.
    [[ "$idle" != "$running" && "$idle" != "$next" ]] \
      || die "slot ${idle} signs (the running stack's ActiveKeySlot is ${running:-none}, the next deploy's ${next:-${active}}): refusing to retire it"
    aws_read ParameterNotFound ssm delete-parameter --name "/audiobook/${environment}/CloudFront/Keys/${idle}/PrivateKey" >/dev/null
    state_delete "CloudFront/PublicKey${idle}"
    log "slot ${idle} emptied; run aws/deploy.sh --environment ${environment}"
    ;;
  --jwt)
    [[ -z "$(secret_get "${jwt}/NextSigningKey")" ]] || die "a JWT key is already staged; run --jwt-activate first"
    openssl rand -base64 64 | tr -d '\n' | put_secret "${jwt}/NextSigningKey"
    log "new JWT key staged (verifies, does not sign yet); run aws/deploy.sh, then --jwt-activate"
    ;;
  --jwt-activate)
    next="$(secret_get "${jwt}/NextSigningKey")"
    [[ -n "$next" ]] || die "no staged JWT key; run --jwt first"
    secret_get "${jwt}/SigningKey" | tr -d '\n' | put_secret "${jwt}/PreviousSigningKey"
    printf '%s' "$next" | put_secret "${jwt}/SigningKey"
    aws ssm delete-parameter --name "${jwt}/NextSigningKey"
    log "staged JWT key now signs; the old one still verifies; run aws/deploy.sh, then --jwt-retire after the access token lifetime"
    ;;
  --jwt-retire)
    aws_read ParameterNotFound ssm delete-parameter --name "${jwt}/PreviousSigningKey" >/dev/null
    log "old JWT key dropped; run aws/deploy.sh"
    ;;
esac
if [[ "$action" == --jwt* ]]; then
  state_put Secrets/Version "$(date -u +%Y%m%dT%H%M%SZ)"
fi
