#!/usr/bin/env bash
# Hub scale benchmark (called by scripts/bench.sh hubs): two sdk-signalr servers, then two Socket.IO servers
# with the Redis adapter, on the stack's Redis, each loaded by the same Node client generator in one run.
#   benchmarks/hubs.sh [clients=10000] [groups=100] [changes per second=100] [seconds=20] [clients=raw|official]
# raw (the default): thin clients on the ws package speaking each protocol, so the servers, not the one
# Node thread generating load, are what is measured; official: @microsoft/signalr and socket.io-client.
set -euo pipefail
clients="${1:-10000}" groups="${2:-100}" rate="${3:-100}" seconds="${4:-20}" flavour="${5:-raw}"
suffix=""; [ "$flavour" = raw ] && suffix="-raw"
node_dir=benchmarks/node
[ -d "$node_dir/node_modules/socket.io" ] || (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
ulimit -n 65536 2>/dev/null || true
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
trap stop EXIT
wait_ready() { for _ in $(seq 1 120); do grep -q READY "$1" && return 0; sleep 0.5; done; cat "$1" >&2; exit 1; }

run() {   # run KIND URL_A URL_B: the load against the two servers in ${pids[@]}
  SERVER_PIDS="$(IFS=,; echo "${pids[*]}")" node ${NODE_OPTS:-} "$node_dir/load.js" "$1" "$2" "$3" "$clients" "$groups" "$rate" "$seconds"
}

only="${ONLY:-}"   # ONLY=signalr or ONLY=socketio runs one side (for profiling)
if [ "$only" != socketio ]; then
for port in 18101 18102; do
  SPAGHETTI_SIGNALR_PORT=$port SPAGHETTI_SIGNALR_MAX_CONNECTIONS=20000 java -Xms512m -Xmx1g ${JAVA_OPTS:-} \
    -cp benchmarks/target/benchmarks.jar io.spaghetti.benchmarks.HubScaleServer > "/tmp/hub-$port.log" 2>&1 &
  pids+=($!)
done
for port in 18101 18102; do wait_ready "/tmp/hub-$port.log"; done
run "signalr$suffix" http://127.0.0.1:18101/hubs/documents http://127.0.0.1:18102/hubs/documents
stop
fi
[ "$only" = signalr ] && exit 0

redis_url="redis://:${STACK_REDIS_PASSWORD}@${STACK_REDIS_ADDRESS#redis://}"
for port in 18201 18202; do
  node "$node_dir/socketio-server.js" "$port" "$redis_url" > "/tmp/sio-$port.log" 2>&1 &
  pids+=($!)
done
for port in 18201 18202; do wait_ready "/tmp/sio-$port.log"; done
run "socketio$suffix" http://127.0.0.1:18201 http://127.0.0.1:18202
stop
