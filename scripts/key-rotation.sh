#!/usr/bin/env bash
# Rotates the KEK and rewraps stored values: scripts/key-rotation.sh ENVIRONMENT [VALUES_FILE]
#   local                     the SDK's rotation command on the development key store
#   dev | staging | prod ...  az keyvault key rotate (services pick the new version up within crypto.kekRefresh)
# With VALUES_FILE (one sp1. ciphertext per line) the values are rewrapped under the new version into
# VALUES_FILE.rewrapped, without decrypting them; then the old version can be disabled.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
env_name="${1:?usage: $0 ENVIRONMENT [VALUES_FILE]}"
values="${2:-}"
kek="${KEK_NAME:-spaghetti-kek}"
. "$ROOT/scripts/lib/crypto-command.sh"

if [ "$env_name" = local ]; then
  echo "[key-rotation] new local KEK version: $(crypto_command rotate)"
else
  command -v az >/dev/null 2>&1 || { echo "[key-rotation] the Azure CLI (az) is needed for $env_name" >&2; exit 1; }
  vault="${VAULT_NAME:-kv-spaghetti-$env_name}"
  az keyvault key rotate --vault-name "$vault" --name "$kek" --query key.kid -o tsv
  export SPAGHETTI_CRYPTO_PROVIDER=azure_key_vault SPAGHETTI_CRYPTO_KEY_VAULT_URL="https://$vault.vault.azure.net"
fi
if [ -n "$values" ]; then
  crypto_command rewrap < "$values" > "$values.rewrapped"
  echo "[key-rotation] rewrapped values in $values.rewrapped"
fi
