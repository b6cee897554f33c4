# shellcheck shell=bash
# Redis standalone (plain + TLS + ACL), 6-node cluster and sentinel set. Sourced by stack.sh.
REDIS_DIR="$STACK_DIR/redis"
REDIS_PORT=16379          # standalone, plain
REDIS_TLS_PORT=16380      # standalone, TLS (same server)
CLUSTER_PORTS="17000 17001 17002 17003 17004 17005"
SENTINEL_MASTER_PORT=16390
SENTINEL_REPLICA_PORTS="16391 16392"
SENTINEL_PORTS="26390 26391 26392"

redis_install() {
  ensure_pkg redis-server redis-server redis-tools
  ensure_pkg openssl openssl
  ensure_pkg keytool openjdk-17-jre-headless
}

# Common data-node settings from ../shared/recipes/redis.md.
redis_node_conf() { # DIR PORT
  cat <<CONF
port $2
bind 127.0.0.1
protected-mode no
daemonize yes
pidfile $1/redis.pid
logfile $1/redis.log
dir $1
appendonly yes
appendfsync everysec
save ""
maxmemory 512mb
maxmemory-policy allkeys-lru
client-output-buffer-limit pubsub 64mb 16mb 60
timeout 300
tcp-keepalive 60
repl-diskless-sync-delay 0
CONF
}

redis_cli() { redis-cli -h 127.0.0.1 "$@"; }

redis_start_node() { # DIR
  local dir="$1"
  if pid_alive "$(cat "$dir/redis.pid" 2>/dev/null)"; then return 0; fi
  redis-server "$dir/redis.conf" || die "redis-server failed to start in $dir (see $dir/redis.log)"
}

redis_stop_node() { # DIR PORT [extra redis-cli args]
  local dir="$1" port="$2"; shift 2
  [ -f "$dir/redis.pid" ] || return 0
  # A replica writing its first AOF ignores SIGTERM: ask it to shut down first.
  timeout 3 redis-cli -h 127.0.0.1 -p "$port" "$@" SHUTDOWN NOSAVE FORCE >/dev/null 2>&1 || true
  stop_pidfile "$dir/redis.pid" 5
}

redis_certs() {
  local d="$REDIS_DIR/tls"
  [ -f "$d/truststore.p12" ] && return 0
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=spaghetti-stack-ca" \
    -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$d/san.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 3650 \
    -extfile "$d/san.ext" -out "$d/server.crt" 2>/dev/null
  local tspw; tspw="$(secret STACK_REDIS_TRUSTSTORE_PASSWORD)"
  keytool -importcert -noprompt -alias stack-ca -file "$d/ca.crt" -keystore "$d/truststore.p12" \
    -storetype PKCS12 -storepass "$tspw" >/dev/null 2>&1 || die "keytool could not build the trust store"
}

redis_up_standalone() {
  local dir="$REDIS_DIR/standalone" pw app_pw
  mkdir -p "$dir"
  redis_certs
  pw="$(secret STACK_REDIS_PASSWORD)"
  app_pw="$(secret STACK_REDIS_APP_PASSWORD)"
  # The ACL user is limited to the cache's key prefix plus Redisson's helper keys/channels (redis recipe),
  # and the backplane's channels and presence keys under its default channelPrefix, collab.
  cat > "$dir/users.acl" <<ACL
user default on >$pw ~* &* +@all
user app on >$app_pw resetkeys ~spaghetti:* ~{spaghetti:* ~redisson_*{spaghetti:* ~collab* resetchannels &spaghetti:* &redisson_*{spaghetti:* &collab* +@all -@dangerous
ACL
  { redis_node_conf "$dir" "$REDIS_PORT"
    cat <<CONF
tls-port $REDIS_TLS_PORT
tls-cert-file $REDIS_DIR/tls/server.crt
tls-key-file $REDIS_DIR/tls/server.key
tls-ca-cert-file $REDIS_DIR/tls/ca.crt
tls-auth-clients no
tls-protocols "TLSv1.2 TLSv1.3"
aclfile $dir/users.acl
CONF
  } > "$dir/redis.conf"
  redis_start_node "$dir"
  wait_for 15 "redis standalone" bash -c "redis-cli -h 127.0.0.1 -p $REDIS_PORT --no-auth-warning -a '$pw' ping | grep -q PONG"
  env_set STACK_REDIS_ADDRESS "127.0.0.1:$REDIS_PORT"
  env_set STACK_REDIS_TLS_ADDRESS "127.0.0.1:$REDIS_TLS_PORT"
  env_set STACK_REDIS_TRUSTSTORE "$REDIS_DIR/tls/truststore.p12"
  env_set STACK_REDIS_CA_FILE "$REDIS_DIR/tls/ca.crt"
  env_set STACK_REDIS_APP_USER app
  log "redis standalone up on $REDIS_PORT (TLS $REDIS_TLS_PORT)"
}

redis_down_standalone() {
  redis_stop_node "$REDIS_DIR/standalone" "$REDIS_PORT" --no-auth-warning -a "$(env_get STACK_REDIS_PASSWORD)"
}

redis_up_cluster() {
  local ports=() p dir
  for p in $CLUSTER_PORTS; do
    dir="$REDIS_DIR/cluster/$p"; mkdir -p "$dir"
    { redis_node_conf "$dir" "$p"
      printf 'cluster-enabled yes\ncluster-config-file nodes.conf\ncluster-node-timeout 5000\n'
    } > "$dir/redis.conf"
    redis_start_node "$dir"; ports+=("127.0.0.1:$p")
  done
  for p in $CLUSTER_PORTS; do wait_for 15 "cluster node $p" bash -c "redis-cli -p $p ping | grep -q PONG"; done
  if ! redis-cli -p "${CLUSTER_PORTS%% *}" cluster info | grep -q 'cluster_state:ok'; then
    if [ "$(redis-cli -p "${CLUSTER_PORTS%% *}" cluster info | grep cluster_known_nodes | tr -dc 0-9)" = 1 ]; then
      redis-cli --cluster create "${ports[@]}" --cluster-replicas 1 --cluster-yes >/dev/null \
        || die "redis-cli --cluster create failed"
    fi
  fi
  for p in $CLUSTER_PORTS; do
    wait_for 30 "cluster_state:ok on $p" bash -c "redis-cli -p $p cluster info | grep -q cluster_state:ok"
  done
  env_set STACK_REDIS_CLUSTER_ADDRESSES "$(IFS=,; echo "${ports[*]}")"
  env_set STACK_REDIS_CLUSTER_DIR "$REDIS_DIR/cluster"
  log "redis cluster up on ${CLUSTER_PORTS// /,}"
}

redis_down_cluster() {
  local p
  for p in $CLUSTER_PORTS; do redis_stop_node "$REDIS_DIR/cluster/$p" "$p"; done
}

redis_up_sentinel() {
  local base="$REDIS_DIR/sentinel" dir p sentinels=()
  dir="$base/master"; mkdir -p "$dir"
  redis_node_conf "$dir" "$SENTINEL_MASTER_PORT" > "$dir/redis.conf"
  redis_start_node "$dir"
  wait_for 15 "sentinel master" bash -c "redis-cli -p $SENTINEL_MASTER_PORT ping | grep -q PONG"
  for p in $SENTINEL_REPLICA_PORTS; do
    dir="$base/replica-$p"; mkdir -p "$dir"
    # After a failover the old master may be a replica: keep whatever sentinel rewrote.
    if [ ! -f "$dir/redis.conf" ]; then
      { redis_node_conf "$dir" "$p"; echo "replicaof 127.0.0.1 $SENTINEL_MASTER_PORT"; } > "$dir/redis.conf"
    fi
    redis_start_node "$dir"
  done
  for p in $SENTINEL_PORTS; do
    dir="$base/sentinel-$p"; mkdir -p "$dir"
    if [ ! -f "$dir/sentinel.conf" ]; then
      cat > "$dir/sentinel.conf" <<CONF
port $p
bind 127.0.0.1
protected-mode no
daemonize yes
pidfile $dir/redis.pid
logfile $dir/sentinel.log
dir $dir
sentinel monitor mymaster 127.0.0.1 $SENTINEL_MASTER_PORT 2
sentinel down-after-milliseconds mymaster 5000
sentinel failover-timeout mymaster 10000
sentinel parallel-syncs mymaster 1
CONF
    fi
    if ! pid_alive "$(cat "$dir/redis.pid" 2>/dev/null)"; then
      redis-server "$dir/sentinel.conf" --sentinel || die "sentinel $p failed to start"
    fi
    sentinels+=("127.0.0.1:$p")
  done
  for p in $SENTINEL_PORTS; do
    wait_for 30 "sentinel $p formed" bash -c "redis-cli -p $p info sentinel | grep -q 'slaves=2,sentinels=3'"
  done
  env_set STACK_REDIS_SENTINEL_ADDRESSES "$(IFS=,; echo "${sentinels[*]}")"
  env_set STACK_REDIS_SENTINEL_MASTER mymaster
  env_set STACK_REDIS_SENTINEL_DIR "$base"
  log "redis sentinel up (sentinels ${SENTINEL_PORTS// /,})"
}

redis_down_sentinel() {
  local base="$REDIS_DIR/sentinel" p
  for p in $SENTINEL_PORTS; do stop_pidfile "$base/sentinel-$p/redis.pid" 5; done
  for p in $SENTINEL_REPLICA_PORTS; do redis_stop_node "$base/replica-$p" "$p"; done
  redis_stop_node "$base/master" "$SENTINEL_MASTER_PORT"
  # Sentinel rewrites its config with the current topology; start from scratch next time.
  rm -rf "$base"
}

redis_status_dir() { # NAME DIR
  if pid_alive "$(cat "$2/redis.pid" 2>/dev/null)"; then echo "$1: running (pid $(cat "$2/redis.pid"))"; else echo "$1: stopped"; fi
}

redis_status() {
  redis_status_dir redis "$REDIS_DIR/standalone"
  local p
  for p in $CLUSTER_PORTS; do redis_status_dir "redis-cluster:$p" "$REDIS_DIR/cluster/$p"; done
  redis_status_dir "redis-sentinel:master" "$REDIS_DIR/sentinel/master"
  for p in $SENTINEL_REPLICA_PORTS; do redis_status_dir "redis-sentinel:replica-$p" "$REDIS_DIR/sentinel/replica-$p"; done
  for p in $SENTINEL_PORTS; do redis_status_dir "redis-sentinel:sentinel-$p" "$REDIS_DIR/sentinel/sentinel-$p"; done
}
