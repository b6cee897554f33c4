#!/usr/bin/env bash
# Deploys Elasticsearch: scripts/deploy-elasticsearch.sh ENVIRONMENT
#   local      the stack's secured 3-node cluster, running the bundled elasticsearch.yml
#   otherwise  the bundled k8s/elasticsearch.yaml into the kubectl context spaghetti-ENVIRONMENT, with the
#              node config and roles as ConfigMaps (certificates: Secret elasticsearch-certs, made by your PKI)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
env_name="${1:?usage: $0 ENVIRONMENT (local, dev, staging, prod)}"
if [ "$env_name" = local ]; then
  exec "$ROOT/scripts/stack.sh" up elasticsearch
fi
command -v kubectl >/dev/null 2>&1 || { echo "[deploy-elasticsearch] kubectl is needed for $env_name" >&2; exit 1; }
assets="$(mktemp -d)"; trap 'rm -rf "$assets"' EXIT
"$ROOT/scripts/assets.sh" export "$assets" >/dev/null
k() { kubectl --context "spaghetti-$env_name" -n spaghetti "$@"; }
k create configmap elasticsearch-config --from-file="$assets/elasticsearch/elasticsearch.yml" --dry-run=client -o yaml | k apply -f -
k create configmap elasticsearch-roles --from-file="$assets/security/roles.yml" --dry-run=client -o yaml | k apply -f -
k apply -f "$assets/k8s/elasticsearch.yaml"
k rollout status statefulset/elasticsearch --timeout=15m
