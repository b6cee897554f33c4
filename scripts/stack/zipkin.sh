# shellcheck shell=bash
# The Zipkin server (its exec jar from Maven Central, in-memory storage) that receives the SDK's traces. Sourced by stack.sh.
ZIPKIN_PORT=19411
ZIPKIN_VERSION="$(sed -n 's:.*<zipkin-server.version>\(.*\)</zipkin-server.version>.*:\1:p' "$ROOT/pom.xml")"
ZIPKIN_DIR="$STACK_DIR/zipkin"
ZIPKIN_JAR="$ZIPKIN_DIR/zipkin-server-$ZIPKIN_VERSION-exec.jar"
ZIPKIN_JAVA="${ZIPKIN_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"

zipkin_install() {
  ensure_pkg curl curl
  [ -f "$ZIPKIN_JAR" ] && return 0
  mkdir -p "$ZIPKIN_DIR"
  log "fetching the Zipkin server $ZIPKIN_VERSION through Maven"
  "$ROOT/mvnw" -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" \
    -DoutputDirectory="$ZIPKIN_DIR" || die "could not fetch the Zipkin server through Maven"
}

zipkin_up() {
  if ! pid_alive "$(cat "$ZIPKIN_DIR/zipkin.pid" 2>/dev/null)"; then
    STORAGE_TYPE=mem MEM_MAX_SPANS=200000 QUERY_PORT="$ZIPKIN_PORT" \
      nohup "$ZIPKIN_JAVA/bin/java" -Xms64m -Xmx384m -XX:TieredStopAtLevel=1 -jar "$ZIPKIN_JAR" \
      --armeria.ports[0].ip=127.0.0.1 --armeria.ports[0].port="$ZIPKIN_PORT" --armeria.ports[0].protocols=http \
      > "$ZIPKIN_DIR/zipkin.log" 2>&1 < /dev/null &
    echo $! > "$ZIPKIN_DIR/zipkin.pid"
  fi
  wait_for 90 "zipkin /health" curl -sf "http://127.0.0.1:$ZIPKIN_PORT/health"
  env_set STACK_ZIPKIN_URL "http://127.0.0.1:$ZIPKIN_PORT"
  log "zipkin up on $ZIPKIN_PORT"
}

zipkin_down() {
  stop_pidfile "$ZIPKIN_DIR/zipkin.pid" 10
}

zipkin_status() {
  local pid; pid="$(cat "$ZIPKIN_DIR/zipkin.pid" 2>/dev/null || true)"
  if pid_alive "$pid"; then echo "zipkin: running (pid $pid)"; else echo "zipkin: stopped"; fi
}
