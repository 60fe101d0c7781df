#!/usr/bin/env bash
# Stop a broker started by start-kafka.sh.
#
# Usage:  scripts/kafka/stop-kafka.sh DATA_DIR [--keep-data]
#
# Sends SIGTERM to the pid in DATA_DIR/kafka.pid only (never by process name), waits up to
# KAFKA_STOP_TIMEOUT seconds (default 20) for a clean shutdown, then SIGKILLs it. Removes DATA_DIR
# unless --keep-data is given. Restart (same data, same ports):
#   scripts/kafka/stop-kafka.sh DATA_DIR --keep-data && scripts/kafka/start-kafka.sh DATA_DIR
# Exit status 0 also when the broker was not running.
set -euo pipefail

log() { printf '[stop-kafka] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=../lib/process.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/process.sh"

DATA_DIR="" KEEP=0
for arg in "$@"; do
  case "$arg" in
    --keep-data) KEEP=1 ;;
    -*) die "unknown option $arg (usage: $0 DATA_DIR [--keep-data])" ;;
    *) [[ -z "$DATA_DIR" ]] || die "usage: $0 DATA_DIR [--keep-data]"; DATA_DIR="$arg" ;;
  esac
done
[[ -n "$DATA_DIR" ]] || die "usage: $0 DATA_DIR [--keep-data]"
if [[ ! -d "$DATA_DIR" ]]; then
  log "$DATA_DIR does not exist; nothing to stop"
  exit 0
fi
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
[[ -f "$DATA_DIR/server.properties" || -f "$DATA_DIR/kafka.pid" || -f "$DATA_DIR/ports.env" ]] ||
  die "$DATA_DIR does not look like a start-kafka.sh data dir; refusing to touch it"

STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-20}"
PID_FILE="$DATA_DIR/kafka.pid"
t0=$(date +%s%3N)

if [[ -f "$PID_FILE" ]]; then
  pid="$(cat "$PID_FILE")"
  # Only signal the process if it is really the broker of this data dir (pid reuse guard).
  if [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" &&
    [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"$DATA_DIR/server.properties"* ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$(($(date +%s%3N) + STOP_TIMEOUT * 1000))
    while alive "$pid" && (($(date +%s%3N) < deadline)); do sleep 0.1; done
    if alive "$pid"; then
      log "broker pid $pid still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while alive "$pid"; do sleep 0.05; done
    fi
    log "stopped broker pid $pid in $(($(date +%s%3N) - t0)) ms"
  else
    log "pid $pid from $PID_FILE is not a running broker of this data dir"
  fi
  rm -f "$PID_FILE"
else
  log "no pid file in $DATA_DIR"
fi

if ((KEEP)); then
  log "kept $DATA_DIR"
else
  rm -rf -- "$DATA_DIR"
fi
