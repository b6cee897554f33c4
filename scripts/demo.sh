#!/usr/bin/env bash
# Runs the example service: scripts/demo.sh [--embedded] [--plain]
#   default     the Spring Boot example (examples/spring-boot-service); starts the Redis, Unleash and
#               Elasticsearch it needs from the local stack and connects to them
#   --embedded  no external service at all: modules that need one report DISABLED
#   --plain     the plain-Java example (examples/example-service) instead
# PORT (default 8080) chooses the HTTP port.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

embedded=0
plain=0
for arg in "$@"; do
  case "$arg" in
    --embedded) embedded=1 ;;
    --plain) plain=1 ;;
    *) echo "usage: $0 [--embedded] [--plain]" >&2; exit 2 ;;
  esac
done

if [ "$plain" = 1 ]; then
  echo "[demo] building the plain-Java example service"
  ./mvnw -B -q -DskipTests install -pl examples/example-service -am
  jar="$(ls examples/example-service/target/example-service-*-all.jar | head -1)"
else
  echo "[demo] building the Spring Boot example service"
  ./mvnw -B -q -DskipTests install -pl examples/spring-boot-service -am
  jar="$(ls examples/spring-boot-service/target/spring-boot-service-*-exec.jar | head -1)"
fi
# The collaboration page's browser client (the npm @microsoft/signalr bundle), from the committed lock file.
node_dir=examples/example-service/src/test/node
[ -f "$node_dir/node_modules/@microsoft/signalr/dist/browser/signalr.min.js" ] \
  || (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
export EXAMPLE_SIGNALR_JS="$PWD/$node_dir/node_modules/@microsoft/signalr/dist/browser/signalr.min.js"

if [ "$embedded" = 1 ]; then
  export SPAGHETTI_REDIS_ENABLED=false SPAGHETTI_SEARCH_ENABLED=false
else
  scripts/stack.sh up redis unleash elasticsearch zipkin
  # Read, not exported: the service gets only its own least-privilege credentials below, never the stack's
  # superusers (Redis default, Elasticsearch elastic, PostgreSQL, Unleash admin).
  . .stack/stack.env
  export SPAGHETTI_REDIS_ADDRESSES="$STACK_REDIS_ADDRESS" SPAGHETTI_REDIS_USERNAME="$STACK_REDIS_APP_USER"
  export SPAGHETTI_FLAGS_URL="$STACK_UNLEASH_URL"
  export SPAGHETTI_TRACING_ZIPKIN_ENDPOINT="$STACK_ZIPKIN_URL/api/v2/spans"
  export SPAGHETTI_SEARCH_HOSTS="$STACK_ES_HOSTS" SPAGHETTI_SEARCH_CA_FILE="$STACK_ES_CA_FILE"
  export SPAGHETTI_SEARCH_USERNAME="$STACK_ES_APP_USER"
  # The config holds references to secrets, never the secrets themselves.
  export DEMO_REDIS_PASSWORD="$STACK_REDIS_APP_PASSWORD" SPAGHETTI_REDIS_PASSWORD="env:DEMO_REDIS_PASSWORD"
  export DEMO_UNLEASH_TOKEN="$STACK_UNLEASH_CLIENT_TOKEN" SPAGHETTI_FLAGS_API_TOKEN="env:DEMO_UNLEASH_TOKEN"
  export DEMO_SEARCH_PASSWORD="$STACK_ES_APP_PASSWORD" SPAGHETTI_SEARCH_PASSWORD="env:DEMO_SEARCH_PASSWORD"
fi

# Field encryption: the local development KEK store, shared by the demo and scripts/key-rotation.sh local.
mkdir -p .stack/crypto
export SPAGHETTI_CRYPTO_LOCAL_KEYSTORE="${SPAGHETTI_CRYPTO_LOCAL_KEYSTORE:-$ROOT/.stack/crypto/local-kek.p12}"

port="${PORT:-8080}"
if [ "$plain" = 1 ]; then
  echo "[demo] open http://127.0.0.1:$port/health, /metrics, /documents/d1, /flags?user=u1&groups=beta_users, /search?tenant=t1&q=guide and /profiles/p1?tenant=t1 (Ctrl-C stops)"
  echo "[demo] collaboration: open http://127.0.0.1:${SPAGHETTI_SIGNALR_PORT:-8090}/collab?document=welcome;" \
    "a second instance: PORT=8081 SPAGHETTI_SIGNALR_PORT=8091 scripts/demo.sh --plain"
  [ "$embedded" = 1 ] || echo "[demo] traces of every request (POST /documents/d1/share?tenant=t1&profile=p1 touches every module): $STACK_ZIPKIN_URL/zipkin/"
else
  echo "[demo] open http://127.0.0.1:$port/actuator/health, /actuator/health/readiness, /actuator/prometheus, /documents/d1," \
    "/flags?user=u1&groups=beta_users, /search?tenant=t1&q=guide and /profiles/p1?tenant=t1 (Ctrl-C stops)"
  echo "[demo] collaboration: open http://127.0.0.1:$port/collab?document=welcome; a second instance: PORT=8081 scripts/demo.sh"
fi
[ "$embedded" = 1 ] || echo "[demo] stop the stack afterwards with: scripts/stack.sh down"
PORT="$port" exec java -jar "$jar"
