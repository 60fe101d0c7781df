#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster (trust auth, TCP on 127.0.0.1 only). No Docker needed.
#
# Usage:  scripts/postgres/start-postgres.sh [DIR]
#
#   DIR                 cluster home. Default: $PG_DATA_DIR, else a new `mktemp -d`. A DIR that already
#                       holds a stopped cluster is started again with its data and (unless overridden)
#                       the same port: stop-postgres.sh DIR --keep-data; start-postgres.sh DIR.
# Environment:
#   PG_PORT             port (default: the port saved in DIR, else a free one)
#   PG_MAX_CONNECTIONS  default 300
#   PG_START_TIMEOUT    seconds for pg_ctl -w (default 60)
#   PG_OS_USER          OS user that runs the server when we are root (default: postgres, created
#                       as a system user if missing). initdb refuses to run as root.
#
# stdout on success (everything else goes to stderr):
#   DATABASE_URL=postgres://postgres@127.0.0.1:<port>/postgres
#   PG_DATA_DIR=<dir>
#
# Layout of DIR: data/ (PGDATA), socket/ (unix socket dir), postgres.log, port.
# fsync and synchronous_commit stay on (crash tests rely on durability).
set -euo pipefail

log() { printf '[start-postgres] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=../lib/process.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/process.sh"
now_ms() { date +%s%3N; }
T0=$(now_ms)

# ---------------------------------------------------------------- binaries

find_pg_bin() {
  local d
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    PG_BIN="$(dirname "$(readlink -f "$(command -v initdb)")")"
    return 0
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then PG_BIN="$d"; return 0; fi
  done
  return 1
}
if ! find_pg_bin; then
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
    log "PostgreSQL not found; installing it with apt-get ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends postgresql >&2 ||
      die "apt-get install postgresql failed"
    find_pg_bin || die "PostgreSQL binaries still not found after installing"
  else
    die "initdb/pg_ctl not found (install PostgreSQL server binaries)"
  fi
fi

# ---------------------------------------------------------------- OS user

if [[ $EUID -eq 0 ]]; then
  PG_OS_USER="${PG_OS_USER:-postgres}"
  if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
    log "creating system user $PG_OS_USER"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OS_USER" >&2 ||
      die "could not create user $PG_OS_USER"
  fi
  as_pg() { runuser -u "$PG_OS_USER" -- "$@"; }
else
  PG_OS_USER="$(id -un)"
  as_pg() { "$@"; }
fi

# ---------------------------------------------------------------- dir

if [[ $# -gt 1 ]]; then die "usage: $0 [DIR]"; fi
DIR="${1:-${PG_DATA_DIR:-}}"
if [[ -z "$DIR" ]]; then
  DIR="$(mktemp -d "${TMPDIR:-/tmp}/postgres-XXXXXX")"
  # On failure remove the dir we created: the caller never learns its path.
  trap 'rc=$?; if ((rc != 0)); then rm -rf -- "$DIR"; fi' EXIT
else
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
fi
PGDATA_DIR="$DIR/data"
SOCKET_DIR="$DIR/socket"
mkdir -p "$SOCKET_DIR"
chown "$PG_OS_USER" "$DIR" "$SOCKET_DIR"
chmod 700 "$DIR" "$SOCKET_DIR"
as_pg test -w "$DIR" || die "$DIR is not writable for $PG_OS_USER (is a parent directory private to root?)"

# postmaster.pid line 1 is the postmaster's pid (pg_ctl status would count a zombie as running).
if [[ -f "$PGDATA_DIR/postmaster.pid" ]]; then
  pm_pid="$(head -n1 "$PGDATA_DIR/postmaster.pid")"
  if [[ "$pm_pid" =~ ^[0-9]+$ ]]; then
    if alive "$pm_pid"; then
      die "a server is already running on $PGDATA_DIR; stop it first (scripts/postgres/stop-postgres.sh $DIR --keep-data)"
    fi
    # After a crash (kill -9) the postmaster may linger as a zombie until PID 1 reaps it, and
    # postgres refuses to start while the pid in its lock file exists: wait for the reaping.
    for _ in $(seq 1 300); do [[ -e "/proc/$pm_pid" ]] || break; sleep 0.1; done
  fi
fi

SAVED_PORT=""
[[ -f "$DIR/port" ]] && SAVED_PORT="$(cat "$DIR/port")"
PORT="${PG_PORT:-$SAVED_PORT}"
[[ -n "$PORT" ]] || PORT="$(free_port)"
[[ "$PORT" =~ ^[0-9]+$ ]] || die "PG_PORT must be a number"
port_in_use "$PORT" && die "port $PORT on 127.0.0.1 is already in use"
echo "$PORT" >"$DIR/port"

if [[ ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
  t=$(now_ms)
  as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --no-locale \
    --no-instructions >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
  cat >>"$PGDATA_DIR/postgresql.conf" <<EOF

# --- throw-away test cluster (scripts/postgres/start-postgres.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCKET_DIR'
max_connections = ${PG_MAX_CONNECTIONS:-300}
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
  log "initdb in $(($(now_ms) - t)) ms"
fi

# The port goes on the command line so that a restart can use a different one.
if ! as_pg "$PG_BIN/pg_ctl" start -w -t "${PG_START_TIMEOUT:-60}" -D "$PGDATA_DIR" -l "$DIR/postgres.log" \
  -o "-p $PORT" >"$DIR/pg_ctl.out" 2>&1; then
  cat "$DIR/pg_ctl.out" >&2
  log "---- tail of $DIR/postgres.log"
  tail -n 30 "$DIR/postgres.log" >&2 || true
  as_pg "$PG_BIN/pg_ctl" stop -D "$PGDATA_DIR" -m immediate >/dev/null 2>&1 || true
  die "PostgreSQL did not start"
fi

log "PostgreSQL $(cat "$PGDATA_DIR/PG_VERSION") ready on 127.0.0.1:$PORT in $(($(now_ms) - T0)) ms"
echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
echo "PG_DATA_DIR=$DIR"
