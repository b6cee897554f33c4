#!/usr/bin/env bash
# Sets up the key service: scripts/deploy-key-vault.sh ENVIRONMENT
#   local      the development key store (.stack/crypto/local-kek.p12) with the KEK and signing key
#   otherwise  deploys azure/managed-identity.bicep and azure/key-vault.bicep into resource group
#              rg-spaghetti-ENVIRONMENT (az login first); needs AKS_OIDC_ISSUER, KEY_ADMIN_GROUP_ID and
#              LOG_ANALYTICS_WORKSPACE_ID in the environment
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
env_name="${1:?usage: $0 ENVIRONMENT (local, dev, staging, prod)}"
if [ "$env_name" = local ]; then
  exec "$ROOT/scripts/create-keys.sh" local
fi
command -v az >/dev/null 2>&1 || { echo "[setup-key-vault] the Azure CLI (az) is needed for $env_name" >&2; exit 1; }
: "${AKS_OIDC_ISSUER:?set AKS_OIDC_ISSUER}" "${KEY_ADMIN_GROUP_ID:?set KEY_ADMIN_GROUP_ID}" "${LOG_ANALYTICS_WORKSPACE_ID:?set LOG_ANALYTICS_WORKSPACE_ID}"
assets="$(mktemp -d)"; trap 'rm -rf "$assets"' EXIT
"$ROOT/scripts/assets.sh" export "$assets" >/dev/null
rg="rg-spaghetti-$env_name"
principal="$(az deployment group create -g "$rg" -f "$assets/azure/managed-identity.bicep" \
  -p environment="$env_name" aksOidcIssuer="$AKS_OIDC_ISSUER" --query properties.outputs.principalId.value -o tsv)"
az deployment group create -g "$rg" -f "$assets/azure/key-vault.bicep" -p environment="$env_name" \
  servicePrincipalId="$principal" keyAdminGroupId="$KEY_ADMIN_GROUP_ID" logAnalyticsWorkspaceId="$LOG_ANALYTICS_WORKSPACE_ID" \
  --query properties.outputs -o json
