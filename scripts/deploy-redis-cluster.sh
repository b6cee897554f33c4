#!/usr/bin/env bash
# Deploys Redis: scripts/deploy-redis-cluster.sh ENVIRONMENT
#   local      the stack's standalone, 6-node cluster and sentinel set
#   otherwise  the bundled k8s/redis.yaml into the kubectl context spaghetti-ENVIRONMENT, the node config
#              as a ConfigMap, then forms the cluster once (3 masters, 3 replicas)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
env_name="${1:?usage: $0 ENVIRONMENT (local, dev, staging, prod)}"
if [ "$env_name" = local ]; then
  exec "$ROOT/scripts/stack.sh" up redis redis-cluster redis-sentinel
fi
command -v kubectl >/dev/null 2>&1 || { echo "[deploy-redis-cluster] kubectl is needed for $env_name" >&2; exit 1; }
assets="$(mktemp -d)"; trap 'rm -rf "$assets"' EXIT
"$ROOT/scripts/assets.sh" export "$assets" >/dev/null
k() { kubectl --context "spaghetti-$env_name" -n spaghetti "$@"; }
k create configmap redis-config --from-file="$assets/redis/redis-cluster-node.conf" --dry-run=client -o yaml | k apply -f -
k apply -f "$assets/k8s/redis.yaml"
k rollout status statefulset/redis-cluster --timeout=10m
if ! k exec redis-cluster-0 -- redis-cli cluster info | grep -q cluster_state:ok; then
  nodes="$(k get pods -l app.kubernetes.io/name=redis-cluster -o jsonpath='{range .items[*]}{.status.podIP}:6379 {end}')"
  # shellcheck disable=SC2086
  k exec redis-cluster-0 -- redis-cli --cluster create $nodes --cluster-replicas 1 --cluster-yes
fi
