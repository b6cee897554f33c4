#!/usr/bin/env bash
# The local real stack: scripts/stack.sh up|down|status [redis|redis-cluster|redis-sentinel|elasticsearch|unleash|zipkin|all]
# Starts real services on fixed loopback ports, installs what is missing (Debian, as root), waits until each
# is ready and writes connection details to .stack/stack.env. Stops only its own processes, by PID.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/stack/common.sh"
. "$HERE/stack/redis.sh"
. "$HERE/stack/elasticsearch.sh"
. "$HERE/stack/unleash.sh"
. "$HERE/stack/zipkin.sh"

usage() { echo "usage: $0 up|down|status [redis|redis-cluster|redis-sentinel|elasticsearch|unleash|zipkin|all]..." >&2; exit 2; }

action="${1:-}"; shift || true
[ -n "$action" ] || usage
services=("$@"); [ ${#services[@]} -gt 0 ] || services=(all)
expanded=()
for s in "${services[@]}"; do
  case "$s" in
    all) expanded+=(redis redis-cluster redis-sentinel elasticsearch unleash zipkin) ;;
    redis|redis-cluster|redis-sentinel|elasticsearch|unleash|zipkin) expanded+=("$s") ;;
    *) echo "unknown service '$s'" >&2; usage ;;
  esac
done

mkdir -p "$STACK_DIR"
case "$action" in
  up)
    for s in "${expanded[@]}"; do
      case "$s" in
        redis) redis_install; redis_up_standalone ;;
        redis-cluster) redis_install; redis_up_cluster ;;
        redis-sentinel) redis_install; redis_up_sentinel ;;
        elasticsearch) es_install; es_up ;;
        unleash) unleash_install; unleash_up ;;
        zipkin) zipkin_install; zipkin_up ;;
      esac
    done
    log "connection details: $ENV_FILE"
    ;;
  down)
    for s in "${expanded[@]}"; do
      case "$s" in
        redis) redis_down_standalone ;;
        redis-cluster) redis_down_cluster ;;
        redis-sentinel) redis_down_sentinel ;;
        elasticsearch) es_down ;;
        unleash) unleash_down ;;
        zipkin) zipkin_down ;;
      esac
    done
    ;;
  status)
    for s in "${expanded[@]}"; do
      case "$s" in
        redis) redis_status_dir redis "$REDIS_DIR/standalone" ;;
        redis-cluster) for p in $CLUSTER_PORTS; do redis_status_dir "redis-cluster:$p" "$REDIS_DIR/cluster/$p"; done ;;
        redis-sentinel) redis_status | grep sentinel ;;
        elasticsearch) es_status ;;
        unleash) unleash_status ;;
        zipkin) zipkin_status ;;
      esac
    done
    ;;
  *) usage ;;
esac
