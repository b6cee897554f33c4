# shellcheck shell=bash
# Unleash 7.4.1 (npm) on its own PostgreSQL 15 cluster, seeded from sdk-flags' platform flags. Sourced by stack.sh.
UNLEASH_PORT=14242
PG_PORT=15432
PG_BIN=/usr/lib/postgresql/15/bin
# PostgreSQL runs as 'postgres', so its files live outside the checkout (see elasticsearch.sh).
PG_BASE="${SPAGHETTI_TOOL_PG_DIR:-/var/tmp/spaghetti-pg-$(printf %s "$ROOT" | md5sum | cut -c1-8)}"
UNLEASH_DIR="$STACK_DIR/unleash"
FLAGS_FILE="$ROOT/sdk-flags/src/main/resources/flags/platform-flags.json"

unleash_install() {
  ensure_pkg "$PG_BIN/initdb" postgresql
  [ -x "$PG_BIN/initdb" ] || ensure_pkg /nonexistent postgresql
  ensure_pkg node nodejs
  ensure_pkg npm npm
  ensure_pkg curl curl
  mkdir -p "$UNLEASH_DIR/app"
  local src="$ROOT/scripts/stack/unleash"
  if [ ! -d "$UNLEASH_DIR/app/node_modules/unleash-server" ] || ! cmp -s "$src/package-lock.json" "$UNLEASH_DIR/app/package-lock.json"; then
    cp "$src/package.json" "$src/package-lock.json" "$UNLEASH_DIR/app/"
    log "installing unleash-server with npm ci (about a minute)"
    (cd "$UNLEASH_DIR/app" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci for unleash-server failed"
  fi
  cp "$src/server.mjs" "$UNLEASH_DIR/app/"
}

pg_up() {
  local pgpw; pgpw="$(secret STACK_PG_PASSWORD)"
  # Tokens are created only while the token table is empty: a lost env file means a fresh database.
  if [ -z "$(env_get STACK_UNLEASH_ADMIN_TOKEN)" ]; then rm -rf "$PG_BASE"; fi
  mkdir -p "$PG_BASE"; chown postgres "$PG_BASE"
  if [ ! -f "$PG_BASE/data/PG_VERSION" ]; then
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_BASE/data" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
      || die "initdb failed"
  fi
  if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_BASE/data" status >/dev/null 2>&1; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_BASE/data" -w -l "$PG_BASE/postgres.log" \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_BASE" start >/dev/null || die "PostgreSQL did not start (see $PG_BASE/postgres.log)"
  fi
  if ! psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_roles where rolname='unleash'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create role unleash login password '$pgpw'" \
      && psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database unleash owner unleash" || die "cannot create the unleash database"
  fi
}

unleash_up() {
  pg_up
  local admin_token client_token
  admin_token="*:*.$(secret STACK_UNLEASH_ADMIN_SECRET)"
  client_token="*:development.$(secret STACK_UNLEASH_CLIENT_SECRET)"
  env_set STACK_UNLEASH_ADMIN_TOKEN "$admin_token"
  env_set STACK_UNLEASH_CLIENT_TOKEN "$client_token"
  # Legacy (environment) variants stay creatable: exports and the client format still carry them, and FlagsIT
  # puts them on the server to prove the no-server route answers as the server does.
  if ! pid_alive "$(cat "$UNLEASH_DIR/unleash.pid" 2>/dev/null)"; then
    SEND_TELEMETRY=false CHECK_VERSION=false LOG_LEVEL=warn \
      STACK_PG_PORT="$PG_PORT" STACK_PG_PASSWORD="$(env_get STACK_PG_PASSWORD)" STACK_UNLEASH_PORT="$UNLEASH_PORT" \
      STACK_UNLEASH_ADMIN_PASSWORD="$(secret STACK_UNLEASH_ADMIN_PASSWORD)" \
      STACK_UNLEASH_ADMIN_TOKEN="$admin_token" STACK_UNLEASH_CLIENT_TOKEN="$client_token" \
      IMPORT_FILE="$FLAGS_FILE" IMPORT_PROJECT=default IMPORT_ENVIRONMENT=development \
      UNLEASH_EXPERIMENTAL_ENABLE_LEGACY_VARIANTS=true \
      nohup node "$UNLEASH_DIR/app/server.mjs" > "$UNLEASH_DIR/unleash.log" 2>&1 < /dev/null &
    echo $! > "$UNLEASH_DIR/unleash.pid"
  fi
  wait_for 90 "unleash /health" curl -sf "http://127.0.0.1:$UNLEASH_PORT/health"
  env_set STACK_UNLEASH_URL "http://127.0.0.1:$UNLEASH_PORT/api"
  env_set STACK_UNLEASH_PID_FILE "$UNLEASH_DIR/unleash.pid"
  log "unleash up on $UNLEASH_PORT"
}

unleash_down() {
  stop_pidfile "$UNLEASH_DIR/unleash.pid" 10
  if [ -f "$PG_BASE/data/postmaster.pid" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_BASE/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

unleash_status() {
  local pid; pid="$(cat "$UNLEASH_DIR/unleash.pid" 2>/dev/null || true)"
  if pid_alive "$pid"; then echo "unleash: running (pid $pid)"; else echo "unleash: stopped"; fi
  if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_BASE/data" status >/dev/null 2>&1; then echo "postgresql: running"; else echo "postgresql: stopped"; fi
}
