#!/usr/bin/env bash
# Configures monitoring: scripts/configure-monitoring.sh ENVIRONMENT [stop]
#   local      checks the bundled rules and Alertmanager config with promtool/amtool, then runs Prometheus
#              (127.0.0.1:19090) and Alertmanager (127.0.0.1:19093) from Debian against the demo service
#              (scripts/demo.sh, PORT or 8080, METRICS_PATH /actuator/prometheus); "stop" stops them
#   otherwise  the rules, scrape config, Alertmanager config and dashboards as ConfigMaps, then
#              k8s/monitoring.yaml, into the kubectl context spaghetti-ENVIRONMENT
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
env_name="${1:?usage: $0 ENVIRONMENT (local, dev, staging, prod) [stop]}"
. "$ROOT/scripts/stack/common.sh"
dir="$ROOT/.stack/monitoring"
if [ "$env_name" = local ]; then
  stop_pidfile "$dir/prometheus.pid" 10 || true
  stop_pidfile "$dir/alertmanager.pid" 10 || true
  [ "${2:-}" = stop ] && exit 0
  ensure_pkg promtool prometheus
  ensure_pkg amtool prometheus-alertmanager
  rm -rf "$dir/assets"; mkdir -p "$dir"
  "$ROOT/scripts/assets.sh" export "$dir/assets" >/dev/null
  prom="$dir/assets/monitoring/prometheus"
  mkdir -p "$prom/targets"
  # The Boot example (scripts/demo.sh) serves /actuator/prometheus; METRICS_PATH=/metrics for the plain one.
  printf '[{"targets":["127.0.0.1:%s"],"labels":{"service":"%s","__metrics_path__":"%s"}}]\n' "${PORT:-8080}" \
    "${SERVICE:-spring-boot-service}" "${METRICS_PATH:-/actuator/prometheus}" > "$prom/targets/local.json"
  sed -i 's/alertmanager:9093/127.0.0.1:19093/' "$prom/prometheus.yml"
  (cd "$prom" && promtool check config prometheus.yml && for t in *.test.yml; do promtool test rules "$t"; done)
  amtool check-config "$dir/assets/monitoring/alertmanager/alertmanager.yml"
  nohup prometheus --config.file="$prom/prometheus.yml" --storage.tsdb.path="$dir/prometheus-data" \
    --web.listen-address=127.0.0.1:19090 > "$dir/prometheus.log" 2>&1 &
  echo $! > "$dir/prometheus.pid"
  nohup prometheus-alertmanager --config.file="$dir/assets/monitoring/alertmanager/alertmanager.yml" \
    --storage.path="$dir/alertmanager-data" --web.listen-address=127.0.0.1:19093 --cluster.listen-address= \
    > "$dir/alertmanager.log" 2>&1 &
  echo $! > "$dir/alertmanager.pid"
  log "Prometheus http://127.0.0.1:19090 (rules loaded), Alertmanager http://127.0.0.1:19093; stop: $0 local stop"
  exit 0
fi
command -v kubectl >/dev/null 2>&1 || { echo "[configure-monitoring] kubectl is needed for $env_name" >&2; exit 1; }
assets="$(mktemp -d)"; trap 'rm -rf "$assets"' EXIT
"$ROOT/scripts/assets.sh" export "$assets" >/dev/null
m="$assets/monitoring"
k() { kubectl --context "spaghetti-$env_name" -n monitoring "$@"; }
kubectl --context "spaghetti-$env_name" apply -f "$assets/k8s/monitoring.yaml"
rule_files=(); for f in "$m"/prometheus/*-rules.yml; do rule_files+=("--from-file=$f"); done
k create configmap prometheus-config --from-file="$m/prometheus/prometheus.yml" "${rule_files[@]}" \
  --dry-run=client -o yaml | k apply -f -
k create configmap alertmanager-config --from-file="$m/alertmanager/alertmanager.yml" --dry-run=client -o yaml | k apply -f -
dashboards=(); for f in "$m"/grafana/*.json; do dashboards+=("--from-file=$f"); done
k create configmap grafana-dashboards "${dashboards[@]}" --dry-run=client -o yaml | k apply -f -
k create configmap grafana-provisioning-dashboards --from-file="$m/grafana/provisioning/dashboards/spaghetti.yml" --dry-run=client -o yaml | k apply -f -
k create configmap grafana-provisioning-datasources --from-file="$m/grafana/provisioning/datasources/prometheus.yml" --dry-run=client -o yaml | k apply -f -
k rollout restart deployment/prometheus deployment/alertmanager deployment/grafana
