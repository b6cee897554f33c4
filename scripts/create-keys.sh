#!/usr/bin/env bash
# Creates the service's keys and their rotation policy: scripts/create-keys.sh ENVIRONMENT
#   local                     the development key store (.stack/crypto/local-kek.p12) through the SDK
#   dev | staging | prod ...  Azure Key Vault through the Azure CLI (az login first); the vault itself comes
#                             from key-vault.bicep (scripts/deploy-key-vault.sh deploys it)
# Settings (environment): VAULT_NAME (default kv-spaghetti-ENV), KEK_NAME (spaghetti-kek),
# SIGNING_KEY_NAME (spaghetti-signing), KEY_SIZE (3072).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
env_name="${1:?usage: $0 ENVIRONMENT (local, dev, staging, prod)}"
kek="${KEK_NAME:-spaghetti-kek}"
signing="${SIGNING_KEY_NAME:-spaghetti-signing}"

if [ "$env_name" = local ]; then
  . "$ROOT/scripts/lib/crypto-command.sh"
  # bootstrap creates both keys in the local store when missing
  echo "[key-vault-setup] local KEK version: $(crypto_command current-version)"
  exit 0
fi

command -v az >/dev/null 2>&1 || { echo "[key-vault-setup] the Azure CLI (az) is needed for $env_name" >&2; exit 1; }
vault="${VAULT_NAME:-kv-spaghetti-$env_name}"
size="${KEY_SIZE:-3072}"
policy="$(mktemp)"
trap 'rm -f "$policy"' EXIT
cat > "$policy" <<JSON
{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"Rotate"}},
 {"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Notify"}}],
 "attributes":{"expiryTime":"P365D"}}
JSON
if ! az keyvault key show --vault-name "$vault" --name "$kek" >/dev/null 2>&1; then
  az keyvault key create --vault-name "$vault" --name "$kek" --kty RSA-HSM --size "$size" --ops wrapKey unwrapKey
fi
if ! az keyvault key show --vault-name "$vault" --name "$signing" >/dev/null 2>&1; then
  az keyvault key create --vault-name "$vault" --name "$signing" --kty RSA-HSM --size "$size" --ops sign verify
fi
az keyvault key rotation-policy update --vault-name "$vault" --name "$kek" --value "@$policy"
echo "[key-vault-setup] $vault: $kek (wrapKey/unwrapKey) and $signing (sign/verify), rotation every 90 days"
