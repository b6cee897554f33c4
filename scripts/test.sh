#!/usr/bin/env bash
# Runs every test: brings the local stack up, runs ./mvnw -B install (unit tests with surefire,
# *IT integration tests with failsafe against the real services, dependency convergence), builds a
# fresh consumer from the README's quick start (scripts/consumer-check.sh), brings the stack down, and
# exits with the tests' status. With CI=true a missing service fails the run instead of skipping.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT" || exit 1

cleanup() { scripts/stack.sh down all || true; }
trap cleanup EXIT

# Tools the tests run: promtool and prometheus (rules, scrape), amtool (Alertmanager config),
# docker-compose (compose files, `config` only: no Docker engine), softhsm2-util (the PKCS#11 IT's token),
# and the scripts' own linter.
. scripts/stack/common.sh
ensure_pkg promtool prometheus
ensure_pkg amtool prometheus-alertmanager
ensure_pkg docker-compose --no-install-recommends docker-compose
ensure_pkg softhsm2-util softhsm2
ensure_pkg shellcheck shellcheck
# The scripts are checked like the code: shellcheck's warnings fail the run.
shellcheck -S warning -x scripts/*.sh scripts/lib/*.sh scripts/stack/*.sh .ci/run \
  || { echo "[test] shellcheck found problems in the scripts (above)" >&2; exit 1; }
# Debian's Chromium for the collaboration page's browser IT (playwright-core drives it; no browser download).
ensure_pkg chromium --no-install-recommends chromium
# The official SignalR clients the ITs drive, from the committed lock files.
for d in sdk-signalr/src/test/node examples/example-service/src/test/node; do
  (cd "$d" && npm ci --no-audit --no-fund --loglevel=error) || { echo "[test] npm ci in $d failed" >&2; exit 1; }
done

start=$SECONDS
scripts/stack.sh up all || { echo "[test] the local stack did not start" >&2; exit 1; }
echo "[test] stack up in $((SECONDS - start)) s"

# install, not just verify: the consumer check below builds a fresh project against the installed artifacts.
./mvnw -B install "$@"
status=$?
if [ $status -eq 0 ]; then
  scripts/consumer-check.sh
  status=$?
fi
echo "[test] finished in $((SECONDS - start)) s with status $status"
exit $status
