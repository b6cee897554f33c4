# shellcheck shell=bash
# Sourced by the key scripts: crypto_command ARGS runs the SDK's key command (CryptoCommand) against the
# local development key store, unless SPAGHETTI_CRYPTO_* say otherwise.
. "$(dirname "${BASH_SOURCE[0]}")/sdk-java.sh"
crypto_command() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  mkdir -p "$root/.stack/crypto"
  SPAGHETTI_SERVICE_NAME="${SPAGHETTI_SERVICE_NAME:-example-service}" \
  SPAGHETTI_CRYPTO_LOCAL_KEYSTORE="${SPAGHETTI_CRYPTO_LOCAL_KEYSTORE:-$root/.stack/crypto/local-kek.p12}" \
    sdk_java io.spaghetti.sdk.crypto.cli.CryptoCommand "$@"
}
