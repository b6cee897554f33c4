# shellcheck shell=bash
# Shared helpers for scripts/stack.sh. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_DIR="${SPAGHETTI_TOOL_STACK_DIR:-$ROOT/.stack}"
ENV_FILE="$STACK_DIR/stack.env"

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

apt_updated=0
# ensure_pkg COMMAND PACKAGE...: install Debian packages when COMMAND is missing.
ensure_pkg() {
  local cmd="$1"; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || die "$cmd is missing; install: apt-get install -y $*"
  if [ "$apt_updated" = 0 ]; then apt-get update -qq >/dev/null; apt_updated=1; fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
}

# env_set KEY VALUE: write or replace one line of the stack env file.
env_set() {
  mkdir -p "$STACK_DIR"; touch "$ENV_FILE"; chmod 600 "$ENV_FILE"
  local tmp; tmp="$(mktemp)"
  grep -v "^$1=" "$ENV_FILE" > "$tmp" || true
  printf '%s=%s\n' "$1" "$2" >> "$tmp"
  mv "$tmp" "$ENV_FILE"; chmod 600 "$ENV_FILE"
}

# env_get KEY: read a value written earlier (e.g. a generated password), empty if absent.
env_get() { [ -f "$ENV_FILE" ] && grep "^$1=" "$ENV_FILE" | tail -1 | cut -d= -f2- || true; }

# secret KEY: the stored value of KEY, generated once and kept across up/down.
secret() {
  local v; v="$(env_get "$1")"
  if [ -z "$v" ]; then v="$(openssl rand -hex 16)"; env_set "$1" "$v"; fi
  printf '%s' "$v"
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

# stop_pidfile FILE [GRACE_SECONDS]: SIGTERM the process in FILE, SIGKILL after the grace period.
stop_pidfile() {
  local f="$1" grace="${2:-10}" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f" 2>/dev/null)"
  if pid_alive "$pid"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq $((grace * 10))); do pid_alive "$pid" || break; sleep 0.1; done
    pid_alive "$pid" && kill -9 "$pid" 2>/dev/null || true
    for _ in $(seq 30); do pid_alive "$pid" || break; sleep 0.1; done
  fi
  rm -f "$f"
}

# wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds.
wait_for() {
  local secs="$1" what="$2"; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what not ready after ${secs}s"
    sleep 0.5
  done
}
