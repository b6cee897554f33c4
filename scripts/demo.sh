#!/usr/bin/env bash
# Runs the example service: scripts/demo.sh [--embedded]
#   default     starts the Redis it needs from the local stack and connects to it
#   --embedded  no external service at all: modules that need one report DISABLED
# PORT (default 8080) chooses the HTTP port.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

embedded=0
case "${1:-}" in
  --embedded) embedded=1 ;;
  "") ;;
  *) echo "usage: $0 [--embedded]" >&2; exit 2 ;;
esac

echo "[demo] building the example service"
./mvnw -B -q -DskipTests install -pl examples/example-service -am
jar="$(ls examples/example-service/target/example-service-*-all.jar | head -1)"

if [ "$embedded" = 1 ]; then
  export SPAGHETTI_REDIS_ENABLED=false
else
  scripts/stack.sh up redis
  set -a; . .stack/stack.env; set +a
  export SPAGHETTI_REDIS_ADDRESSES="$STACK_REDIS_ADDRESS"
  # The config holds a reference to the password, never the password itself.
  export SPAGHETTI_REDIS_PASSWORD="env:STACK_REDIS_PASSWORD"
fi

port="${PORT:-8080}"
echo "[demo] open http://127.0.0.1:$port/health and http://127.0.0.1:$port/metrics (Ctrl-C stops)"
[ "$embedded" = 1 ] || echo "[demo] stop the stack afterwards with: scripts/stack.sh down"
PORT="$port" exec java -jar "$jar"
