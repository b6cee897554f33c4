#!/usr/bin/env bash
# Runs the JMH benchmarks against the local stack's Redis: scripts/bench.sh [JMH options, e.g. a regex]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -Pbenchmarks -DskipTests install -pl benchmarks -am
scripts/stack.sh up redis
set -a; . .stack/stack.env; set +a
export SPAGHETTI_REDIS_ADDRESSES="$STACK_REDIS_ADDRESS" SPAGHETTI_REDIS_PASSWORD="env:STACK_REDIS_PASSWORD"
export SPAGHETTI_SERVICE_NAME=bench
exec java -jar benchmarks/target/benchmarks.jar "$@"
