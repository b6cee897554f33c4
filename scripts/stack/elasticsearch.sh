# shellcheck shell=bash
# Secured 3-node Elasticsearch 8.19 cluster on loopback. Sourced by stack.sh.
# ES refuses to run as root and runs as its own user, so its files live outside the checkout
# (the checkout may sit under a folder that user cannot enter).
ES_VERSION=8.19.21
ES_USER=spaghetti-es
ES_BASE="${SPAGHETTI_TOOL_ES_DIR:-/var/tmp/spaghetti-es-$(printf %s "$ROOT" | md5sum | cut -c1-8)}"
ES_HOME="$ES_BASE/elasticsearch-$ES_VERSION"
ES_HTTP_PORTS=(19200 19201 19202)
ES_TRANSPORT_PORTS=(19300 19301 19302)
ES_JAVA="${ES_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"

es_install() {
  ensure_pkg unzip unzip
  ensure_pkg curl curl
  id "$ES_USER" >/dev/null 2>&1 || useradd -M -s /bin/bash "$ES_USER" || die "cannot create user $ES_USER"
  [ -x "$ES_HOME/bin/elasticsearch" ] && return 0
  mkdir -p "$ES_BASE/download"
  log "fetching the Elasticsearch $ES_VERSION distribution through Maven"
  "$ROOT/mvnw" -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip \
    -DoutputDirectory="$ES_BASE/download" || die "could not fetch the Elasticsearch zip through Maven"
  unzip -q -o "$ES_BASE/download/elasticsearch-$ES_VERSION.zip" -d "$ES_BASE" || die "unzip failed"
}

es_run_as_user() { # COMMAND...: run an ES tool as the ES user with the right Java
  runuser -u "$ES_USER" -- env -i PATH="$PATH" HOME="$ES_BASE" ES_JAVA_HOME="$ES_JAVA" "$@"
}

es_certs() {
  local d="$ES_BASE/certs"
  [ -f "$d/node/node.crt" ] && return 0
  mkdir -p "$d"; chown -R "$ES_USER" "$ES_BASE"
  es_run_as_user ES_PATH_CONF="$ES_HOME/config" "$ES_HOME/bin/elasticsearch-certutil" ca --pem --silent --days 3650 --out "$d/ca.zip"
  (cd "$d" && unzip -q -o ca.zip)
  es_run_as_user ES_PATH_CONF="$ES_HOME/config" "$ES_HOME/bin/elasticsearch-certutil" cert --pem --silent --days 3650 \
    --ca-cert "$d/ca/ca.crt" --ca-key "$d/ca/ca.key" --name node --dns localhost --ip 127.0.0.1 --out "$d/node.zip"
  (cd "$d" && unzip -q -o node.zip)
}

es_shared_config() {
  # Keystore (bootstrap password of 'elastic') built once, copied to every node.
  local shared="$ES_BASE/shared" pw app_pw
  pw="$(secret STACK_ES_PASSWORD)"
  app_pw="$(secret STACK_ES_APP_PASSWORD)"
  mkdir -p "$shared"; chown "$ES_USER" "$shared"
  if [ ! -f "$shared/elasticsearch.keystore" ]; then
    rm -rf "$shared/conf"; cp -r "$ES_HOME/config" "$shared/conf"; chown -R "$ES_USER" "$shared"
    es_run_as_user ES_PATH_CONF="$shared/conf" "$ES_HOME/bin/elasticsearch-keystore" create -s
    printf %s "$pw" | es_run_as_user ES_PATH_CONF="$shared/conf" "$ES_HOME/bin/elasticsearch-keystore" add -x -s bootstrap.password
    cp "$shared/conf/elasticsearch.keystore" "$shared/elasticsearch.keystore"
  fi
  # File-realm application user with the least-privilege roles owned by sdk-search.
  cp "$ROOT/sdk-search/src/main/resources/security/roles.yml" "$shared/roles.yml"
  : > "$shared/users"; : > "$shared/users_roles"
  rm -rf "$shared/conf"; cp -r "$ES_HOME/config" "$shared/conf"; cp "$shared/roles.yml" "$shared/conf/roles.yml"
  chown -R "$ES_USER" "$shared"
  es_run_as_user ES_PATH_CONF="$shared/conf" "$ES_HOME/bin/elasticsearch-users" useradd spaghetti_app -p "$app_pw" -r spaghetti_writer
  es_run_as_user ES_PATH_CONF="$shared/conf" "$ES_HOME/bin/elasticsearch-users" useradd spaghetti_reader -p "$app_pw" -r spaghetti_reader
}

es_node_config() { # INDEX
  local i="$1" node="$ES_BASE/n$1" shared="$ES_BASE/shared"
  mkdir -p "$node/data" "$node/logs"
  rm -rf "$node/config"; cp -r "$ES_HOME/config" "$node/config"
  cp "$shared/elasticsearch.keystore" "$shared/conf/users" "$shared/conf/users_roles" "$shared/conf/roles.yml" "$node/config/"
  mkdir -p "$node/config/certs" "$node/config/jvm.options.d"
  cp "$ES_BASE/certs/ca/ca.crt" "$ES_BASE/certs/node/node.crt" "$ES_BASE/certs/node/node.key" "$node/config/certs/"
  printf -- '-Xms512m\n-Xmx512m\n' > "$node/config/jvm.options.d/heap.options"
  # the bundled production template, filled through ES_* variables at start (es_up)
  cp "$ROOT/sdk-search/src/main/resources/elasticsearch/elasticsearch.yml" "$node/config/elasticsearch.yml"
  chown -R "$ES_USER" "$node"
}

es_curl() { curl -s --cacert "$ES_BASE/certs/ca/ca.crt" -u "elastic:$(env_get STACK_ES_PASSWORD)" "$@"; }

# The cluster's state (users' passwords, certificates) lives in ES_BASE, its passwords in the checkout's env file.
# A checkout without them (a fresh clone at a path used before) starts the cluster from scratch.
es_reset_if_orphaned() {
  if [ -z "$(env_get STACK_ES_PASSWORD)" ] && [ -d "$ES_BASE/shared" ]; then
    log "no Elasticsearch password in $ENV_FILE for the existing cluster in $ES_BASE: starting it from scratch"
    es_down
    rm -rf "$ES_BASE/n0" "$ES_BASE/n1" "$ES_BASE/n2" "$ES_BASE/shared" "$ES_BASE/certs" "$ES_BASE/snapshots"
  fi
}

es_up() {
  local i node started=0
  es_reset_if_orphaned
  if es_curl "https://127.0.0.1:${ES_HTTP_PORTS[0]}/_cluster/health" 2>/dev/null | grep -q '"number_of_nodes":3'; then
    log "elasticsearch already up"; es_write_env; return 0
  fi
  es_certs
  es_shared_config
  mkdir -p "$ES_BASE/snapshots"; chown "$ES_USER" "$ES_BASE/snapshots"
  for i in 0 1 2; do
    node="$ES_BASE/n$i"
    if pid_alive "$(cat "$node/es.pid" 2>/dev/null)"; then continue; fi
    es_node_config "$i"
    # runuser drops the fd limit to 1024; ES needs more. Relative paths in jvm.options (gc.log) resolve in the node dir.
    runuser -u "$ES_USER" -- env -i PATH="$PATH" HOME="$ES_BASE" ES_JAVA_HOME="$ES_JAVA" ES_PATH_CONF="$node/config" \
      ES_CLUSTER_NAME=spaghetti-stack ES_NODE_NAME="n$i" ES_NETWORK_HOST=127.0.0.1 \
      ES_HTTP_PORT="${ES_HTTP_PORTS[$i]}" ES_TRANSPORT_PORT="${ES_TRANSPORT_PORTS[$i]}" \
      ES_SEED_HOSTS="127.0.0.1:${ES_TRANSPORT_PORTS[0]},127.0.0.1:${ES_TRANSPORT_PORTS[1]},127.0.0.1:${ES_TRANSPORT_PORTS[2]}" \
      ES_INITIAL_MASTER_NODES=n0,n1,n2 ES_DATA_PATH="$node/data" ES_LOGS_PATH="$node/logs" \
      ES_SNAPSHOT_PATH="$ES_BASE/snapshots" ES_MEMORY_LOCK=false ES_DISK_THRESHOLDS=false \
      bash -c "ulimit -n \$(ulimit -Hn); cd '$node' && exec '$ES_HOME/bin/elasticsearch' -d -p '$node/es.pid'" \
      > "$node/logs/start.out" 2>&1 || die "node n$i failed to start (see $node/logs)"
    started=1
  done
  log "waiting for elasticsearch to be green (about a minute on 2 cores)"
  wait_for 240 "elasticsearch green" bash -c \
    "curl -sf --cacert '$ES_BASE/certs/ca/ca.crt' -u 'elastic:$(env_get STACK_ES_PASSWORD)' 'https://127.0.0.1:${ES_HTTP_PORTS[0]}/_cluster/health?wait_for_status=green&wait_for_nodes=3&timeout=5s' | grep -q '\"status\":\"green\"'"
  es_write_env
  log "elasticsearch up on ${ES_HTTP_PORTS[*]} (started=$started)"
}

es_write_env() {
  env_set STACK_ES_HOSTS "https://127.0.0.1:${ES_HTTP_PORTS[0]},https://127.0.0.1:${ES_HTTP_PORTS[1]},https://127.0.0.1:${ES_HTTP_PORTS[2]}"
  env_set STACK_ES_CA_FILE "$ES_BASE/certs/ca/ca.crt"
  env_set STACK_ES_USER elastic
  env_set STACK_ES_APP_USER spaghetti_app
  env_set STACK_ES_READER_USER spaghetti_reader
  env_set STACK_ES_SNAPSHOT_PATH "$ES_BASE/snapshots"
  env_set STACK_ES_DIR "$ES_BASE"
}

es_down() {
  local i
  for i in 0 1 2; do stop_pidfile "$ES_BASE/n$i/es.pid" 30; done
}

es_status() {
  local i pid
  for i in 0 1 2; do
    pid="$(cat "$ES_BASE/n$i/es.pid" 2>/dev/null || true)"
    if pid_alive "$pid"; then echo "elasticsearch:n$i: running (pid $pid)"; else echo "elasticsearch:n$i: stopped"; fi
  done
}
