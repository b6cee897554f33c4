#!/usr/bin/env bash
# Installs sdk-search's index templates and initial write index on any cluster: the same bootstrap
# services run at start-up. Connection from the environment, e.g.
#   SPAGHETTI_SEARCH_HOSTS=https://es:9200 SPAGHETTI_SEARCH_CA_FILE=/certs/ca.crt \
#   SPAGHETTI_SEARCH_USERNAME=elastic SPAGHETTI_SEARCH_PASSWORD=env:ES_PASSWORD scripts/elasticsearch-setup.sh
# With no SPAGHETTI_SEARCH_HOSTS it targets the local stack as its superuser.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -DskipTests install -pl sdk-search -am
cp_file="$(mktemp)"
./mvnw -B -q dependency:build-classpath -pl sdk-search -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
if [ -z "${SPAGHETTI_SEARCH_HOSTS:-}" ]; then
  set -a; . .stack/stack.env; set +a
  export SPAGHETTI_SEARCH_HOSTS="$STACK_ES_HOSTS" SPAGHETTI_SEARCH_CA_FILE="$STACK_ES_CA_FILE"
  export SPAGHETTI_SEARCH_USERNAME="$STACK_ES_USER" SPAGHETTI_SEARCH_PASSWORD="env:STACK_ES_PASSWORD"
fi
exec java -cp "sdk-search/target/classes:$(cat "$cp_file")" io.spaghetti.sdk.search.SearchSetup
