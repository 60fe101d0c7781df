#!/usr/bin/env bash
# Stop a cluster started by start-postgres.sh and remove its directory.
#
# Usage:  scripts/postgres/stop-postgres.sh DIR [--keep-data]
#
# Runs `pg_ctl stop -m fast` on DIR/data (as the cluster's owner when we are root) and removes DIR
# unless --keep-data is given (then start-postgres.sh DIR starts it again on the same port).
# Exit status 0 also when the server was not running.
set -euo pipefail

log() { printf '[stop-postgres] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=../lib/process.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/process.sh"

DIR="" KEEP=0
for arg in "$@"; do
  case "$arg" in
    --keep-data) KEEP=1 ;;
    -*) die "unknown option $arg (usage: $0 DIR [--keep-data])" ;;
    *) [[ -z "$DIR" ]] || die "usage: $0 DIR [--keep-data]"; DIR="$arg" ;;
  esac
done
[[ -n "$DIR" ]] || die "usage: $0 DIR [--keep-data]"
if [[ ! -d "$DIR" ]]; then
  log "$DIR does not exist; nothing to stop"
  exit 0
fi
DIR="$(cd "$DIR" && pwd)"
PGDATA_DIR="$DIR/data"
[[ -f "$DIR/port" || -f "$PGDATA_DIR/PG_VERSION" ]] ||
  die "$DIR does not look like a start-postgres.sh directory; refusing to touch it"

PG_CTL=""
if command -v pg_ctl >/dev/null; then
  PG_CTL="$(command -v pg_ctl)"
else
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$d/pg_ctl" ]] && { PG_CTL="$d/pg_ctl"; break; }
  done
fi

t0=$(date +%s%3N)
pm_pid=""
[[ -f "$PGDATA_DIR/postmaster.pid" ]] && pm_pid="$(head -n1 "$PGDATA_DIR/postmaster.pid")"
if [[ "$pm_pid" =~ ^[0-9]+$ ]] && alive "$pm_pid"; then
  [[ -n "$PG_CTL" ]] || die "pg_ctl not found"
  owner="$(stat -c %U "$PGDATA_DIR")"
  if [[ $EUID -eq 0 && "$owner" != root ]]; then
    run() { runuser -u "$owner" -- "$@"; }
  else
    run() { "$@"; }
  fi
  if run "$PG_CTL" stop -D "$PGDATA_DIR" -m fast -w -t 30 >/dev/null; then
    log "stopped in $(($(date +%s%3N) - t0)) ms"
  else
    log "pg_ctl stop -m fast failed; trying -m immediate"
    run "$PG_CTL" stop -D "$PGDATA_DIR" -m immediate -w -t 10 >/dev/null ||
      { log "pg_ctl stop -m immediate failed too; SIGKILL $pm_pid"; kill -KILL "$pm_pid" 2>/dev/null || true; }
  fi
else
  log "no server running on $PGDATA_DIR"
fi

if ((KEEP)); then
  log "kept $DIR"
else
  rm -rf -- "$DIR"
fi
