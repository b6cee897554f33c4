#!/usr/bin/env bash
# Benchmarks against the local stack, each side by side with the bare library in one run:
#   scripts/bench.sh [JMH options, e.g. a regex]   JMH: cache hits (Redis), flag evaluation, field encryption
#   scripts/bench.sh search [docs] [queries]        benchmark program: bulk indexing and queries (Elasticsearch)
#   scripts/bench.sh backplane [connections] [groups] [messages] [paced msg/s]   group fan-out (Redis)
#   scripts/bench.sh hubs [clients] [groups] [changes/s] [seconds]   sdk-signalr vs Socket.IO, real WebSocket clients
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -Pbenchmarks -DskipTests install -pl benchmarks -am
export SPAGHETTI_SERVICE_NAME=bench
if [ "${1:-}" = search ]; then
  shift
  scripts/stack.sh up elasticsearch
  set -a; . .stack/stack.env; set +a
  export SPAGHETTI_SEARCH_HOSTS="$STACK_ES_HOSTS" SPAGHETTI_SEARCH_CA_FILE="$STACK_ES_CA_FILE"
  export SPAGHETTI_SEARCH_USERNAME="$STACK_ES_APP_USER" SPAGHETTI_SEARCH_PASSWORD="env:STACK_ES_APP_PASSWORD"
  exec java -cp benchmarks/target/benchmarks.jar io.spaghetti.benchmarks.SearchBench "$@"
fi
if [ "${1:-}" = backplane ]; then
  shift
  scripts/stack.sh up redis
  set -a; . .stack/stack.env; set +a
  export SPAGHETTI_REDIS_ADDRESSES="$STACK_REDIS_ADDRESS" SPAGHETTI_REDIS_PASSWORD="env:STACK_REDIS_PASSWORD"
  exec java -Xmx4g -cp benchmarks/target/benchmarks.jar io.spaghetti.benchmarks.BackplaneBench "$@"
fi
if [ "${1:-}" = hubs ]; then
  shift
  scripts/stack.sh up redis
  set -a; . .stack/stack.env; set +a
  export SPAGHETTI_REDIS_ADDRESSES="$STACK_REDIS_ADDRESS" SPAGHETTI_REDIS_PASSWORD="env:STACK_REDIS_PASSWORD"
  exec benchmarks/hubs.sh "$@"
fi
scripts/stack.sh up redis
set -a; . .stack/stack.env; set +a
export SPAGHETTI_REDIS_ADDRESSES="$STACK_REDIS_ADDRESS" SPAGHETTI_REDIS_PASSWORD="env:STACK_REDIS_PASSWORD"
exec java -jar benchmarks/target/benchmarks.jar "$@"
