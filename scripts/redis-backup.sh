#!/usr/bin/env bash
# Backups of the platform's Redis sets. Every node keeps AOF (fsync every second) and RDB snapshots
# (redis/redis-cluster-node.conf); this adds the off-node copies the brief asks for: hourly, kept 7 days.
#   scripts/redis-backup.sh backup NODES DIR
#       one RDB per node of NODES (host:port,host:port,...: every master and replica, so a restore has data
#       whichever node is master by then) into DIR/<UTC time>/, then deletes backups in DIR older than
#       REDIS_BACKUP_KEEP_DAYS (7). Auth from REDISCLI_AUTH. Run it hourly (cron, or a Kubernetes CronJob).
#   scripts/redis-backup.sh restore cluster|sentinel BACKUP
#       the local stack's set from BACKUP: each node is stopped, given its own RDB as dump.rdb with its AOF
#       removed, started with AOF off so the RDB loads, then AOF is switched on again (rewritten from the data).
#       In Kubernetes the same steps run per pod on its volume (scale to 0, copy, start with --appendonly no).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
usage() { echo "usage: $0 backup NODES DIR | restore cluster|sentinel BACKUP" >&2; exit 2; }
[ $# -eq 3 ] || usage

file_for() { echo "${1/:/_}.rdb"; }   # host:port -> host_port.rdb

backup() {
  local nodes="$1" dir="$2" stamp out node
  command -v redis-cli >/dev/null || { echo "[redis-backup] redis-cli is needed (apt-get install redis-tools)" >&2; exit 1; }
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  out="$dir/$stamp"
  mkdir -p "$out"
  IFS=, read -ra list <<< "$nodes"
  for node in "${list[@]}"; do
    redis-cli -h "${node%:*}" -p "${node##*:}" --no-auth-warning --rdb "$out/$(file_for "$node")" >/dev/null \
      || { echo "[redis-backup] no RDB from $node" >&2; exit 1; }
  done
  find "$dir" -mindepth 1 -maxdepth 1 -type d -mtime +"${REDIS_BACKUP_KEEP_DAYS:-7}" -exec rm -rf {} +
  echo "$out"
}

node_dir() { # SET PORT: the stack's data directory of a node
  if [ "$1" = cluster ]; then echo "$REDIS_DIR/cluster/$2"
  elif [ "$2" = "$SENTINEL_MASTER_PORT" ]; then echo "$REDIS_DIR/sentinel/master"
  else echo "$REDIS_DIR/sentinel/replica-$2"; fi
}

restore() {
  local set="$1" from="$2" nodes p dir rdb
  [ -d "$from" ] || { echo "[redis-backup] no backup at $from" >&2; exit 1; }
  # shellcheck source=stack/common.sh
  . "$ROOT/scripts/stack/common.sh"
  # shellcheck source=stack/redis.sh
  . "$ROOT/scripts/stack/redis.sh"
  case "$set" in
    cluster) nodes="$CLUSTER_PORTS" ;;
    sentinel) nodes="$SENTINEL_MASTER_PORT $SENTINEL_REPLICA_PORTS" ;;
    *) usage ;;
  esac
  for p in $nodes; do
    dir="$(node_dir "$set" "$p")"
    redis_stop_node "$dir" "$p"
    rm -rf "$dir/appendonlydir" "$dir/dump.rdb"
    rdb="$from/$(file_for "127.0.0.1:$p")"
    if [ -f "$rdb" ]; then cp "$rdb" "$dir/dump.rdb"; fi
  done
  for p in $nodes; do
    dir="$(node_dir "$set" "$p")"
    redis-server "$dir/redis.conf" --appendonly no || die "redis-server did not start in $dir"
    wait_for 30 "node $p loaded" bash -c "redis-cli -p $p ping | grep -q PONG"
    redis-cli -p "$p" config set appendonly yes >/dev/null
  done
  if [ "$set" = cluster ]; then
    for p in $nodes; do
      wait_for 60 "cluster_state:ok on $p" bash -c "redis-cli -p $p cluster info | grep -q cluster_state:ok"
    done
  fi
  echo "[redis-backup] restored the $set set from $from" >&2
}

case "$1" in
  backup) backup "$2" "$3" ;;
  restore) restore "$2" "$3" ;;
  *) usage ;;
esac
