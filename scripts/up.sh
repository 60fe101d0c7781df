#!/usr/bin/env bash
# Brings the whole system up on this machine: a Kafka broker, PostgreSQL, the master hub and two
# ship edges (ship-a, ship-b), with fresh keys and API keys, and example content. Ctrl-C stops
# everything it started. Set KAFKA_BROKERS / DATABASE_URL to use existing ones instead.
#   UP_MASTER_PORT (3000), UP_SHIP_A_PORT (3001), UP_SHIP_B_PORT (3002), UP_LINKS_PORT (3099),
#   UP_DIR (.run/up)
# Each ship reaches the broker through its own simulated satellite link, which the links control
# API (UP_LINKS_PORT) cuts, restores or slows down while the ship keeps running.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=lib/ensure-deps.sh
source scripts/lib/ensure-deps.sh
die() { echo "$*" >&2; exit 1; }
# shellcheck source=lib/process.sh
source scripts/lib/process.sh
ensure_system_tools
ensure_node_deps "$root"
print_node_version
export KAFKAJS_NO_PARTITIONER_WARNING=1

master_port="${UP_MASTER_PORT:-3000}"
ship_a_port="${UP_SHIP_A_PORT:-3001}"
ship_b_port="${UP_SHIP_B_PORT:-3002}"
links_port="${UP_LINKS_PORT:-3099}"
dir="${UP_DIR:-$root/.run/up}"
rm -rf "$dir"
mkdir -p "$dir"

for port in "$master_port" "$ship_a_port" "$ship_b_port" "$links_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is in use: stop what uses it or set UP_MASTER_PORT / UP_SHIP_A_PORT / UP_SHIP_B_PORT" >&2
    exit 1
  fi
done

pids=()
kafka_dir=""
pg_dir=""
stopping=0
cleanup() {
  trap - INT TERM EXIT
  stopping=1
  echo
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$kafka_dir" ] && bash scripts/kafka/stop-kafka.sh "$kafka_dir" >/dev/null 2>&1 || true
  [ -n "$pg_dir" ] && bash scripts/postgres/stop-postgres.sh "$pg_dir" >/dev/null 2>&1 || true
  [ -n "${pg_parent:-}" ] && [ "$pg_parent" != "$dir" ] && rm -rf -- "$pg_parent"
  echo "Stopped."
}
trap cleanup INT TERM EXIT

echo "Building the apps..."
npx nest build master >/dev/null
npx nest build ship >/dev/null
bash scripts/build-console.sh >/dev/null

ship_a_brokers="${KAFKA_BROKERS:-}"
ship_b_brokers="${KAFKA_BROKERS:-}"
if [ -z "${KAFKA_BROKERS:-}" ]; then
  echo "Starting Kafka..."
  # One listener per ship, advertised at the address of that ship's link, so every connection
  # of the ship (bootstrap and metadata) crosses the link.
  a_internal="$(free_port)"; a_link="$(free_port "$a_internal")"
  b_internal="$(free_port "$a_internal" "$a_link")"; b_link="$(free_port "$a_internal" "$a_link" "$b_internal")"
  cat >"$dir/links.properties" <<PROPS
listeners=PLAINTEXT://127.0.0.1:{PORT},CONTROLLER://127.0.0.1:{CONTROLLER_PORT},SHIP_A://127.0.0.1:$a_internal,SHIP_B://127.0.0.1:$b_internal
advertised.listeners=PLAINTEXT://127.0.0.1:{PORT},SHIP_A://127.0.0.1:$a_link,SHIP_B://127.0.0.1:$b_link
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SHIP_A:PLAINTEXT,SHIP_B:PLAINTEXT
PROPS
  eval "$(KAFKA_EXTRA_PROPERTIES="$dir/links.properties" bash scripts/kafka/start-kafka.sh "$dir/kafka" | sed 's/^/export /')"
  kafka_dir="$KAFKA_DATA_DIR"
  # Not through npx: its child would outlive the TERM sent to the pid recorded here.
  node_modules/.bin/ts-node --transpile-only scripts/link/link-control.ts "$links_port" \
    "ship-a=$a_link:$a_internal" "ship-b=$b_link:$b_internal" >"$dir/links.log" 2>&1 &
  pids+=($!)
  ship_a_brokers="127.0.0.1:$a_link"
  ship_b_brokers="127.0.0.1:$b_link"
fi
if [ -z "${DATABASE_URL:-}" ]; then
  echo "Starting PostgreSQL..."
  pg_parent="$dir"
  # As root the cluster runs as the postgres user, who may not traverse a clone in a private home.
  if [ "$EUID" -eq 0 ]; then pg_parent="$(mktemp -d "${TMPDIR:-/tmp}/offline-sync-up-XXXXXX")"; chmod 755 "$pg_parent"; fi
  eval "$(bash scripts/postgres/start-postgres.sh "$pg_parent/postgres" | sed 's/^/export /')"
  pg_dir="$PG_DATA_DIR"
fi
master_db_url="$DATABASE_URL"

keygen() { node dist/apps/master/libs/sync-core/src/keygen.js "$1" 2>/dev/null; }
secret() { node -e 'process.stdout.write(require("crypto").randomBytes(18).toString("base64url"))'; }
master_keys="$(keygen master)"
ship_a_keys="$(keygen ship-a)"
ship_b_keys="$(keygen ship-b)"
value_of() { sed -n "s/^$1=//p" <<<"$2"; }
admin_key="$(secret)"
operator_key="$(secret)"
crew_key="$(secret)"
viewer_key="$(secret)"
# The apps hold the keys hashed, in a file they re-read when it changes: delete a line and that
# key stops working, no restart (docs/configuration.md, "API keys").
hashed() { node -e 'process.stdout.write("sha256:" + require("crypto").createHash("sha256").update(process.argv[1]).digest("hex"))' "$1"; }
api_keys_file="$dir/api-keys"
{
  echo "# name:role:sha256:<hex>, one key a line (npm run api-key -- <name> <role> prints one)"
  echo "admin:admin:$(hashed "$admin_key")"
  echo "operator:operator:$(hashed "$operator_key")"
  echo "crew:crew:$(hashed "$crew_key")"
  echo "viewer:viewer:$(hashed "$viewer_key")"
} >"$api_keys_file"

common_env=(
  "KAFKA_BROKERS=$KAFKA_BROKERS"
  "SYNC_CONTENT_TYPES=@$root/scripts/up/content-types.json"
  "SYNC_API_KEYS_FILE=$api_keys_file"
  "SYNC_HEARTBEAT_INTERVAL=10000"
  "SYNC_CONNECTIVITY_CHECK_INTERVAL=5000"
  "SYNC_DEBOUNCE_MS=200"
  "LOG_LEVEL=${LOG_LEVEL:-info}"
  "MALLOC_ARENA_MAX=2"
)

ship_node_options="--max-old-space-size=128 --max-semi-space-size=1"
ship_malloc=("MALLOC_MMAP_THRESHOLD_=65536" "MALLOC_TRIM_THRESHOLD_=131072")
master_node_options="--max-semi-space-size=4"

start_app() {
  local name="$1"
  shift
  env "${common_env[@]}" "$@" node "dist/apps/${name%%:*}/apps/${name%%:*}/src/main.js" \
    >"$dir/${name#*:}.log" 2>&1 &
  pids+=($!)
}

start_app master:master "NODE_OPTIONS=$master_node_options" \
  "PORT=$master_port" "DATABASE_URL=$master_db_url" \
  "SYNC_SIGNING_PRIVATE_KEY=$(value_of SYNC_SIGNING_PRIVATE_KEY "$master_keys")" \
  "SYNC_SHIP_PUBLIC_KEYS=ship-a=$(value_of ship-a "$ship_a_keys"),ship-b=$(value_of ship-b "$ship_b_keys")"
master_public="$(value_of SYNC_MASTER_PUBLIC_KEY "$master_keys")"
for ship in a b; do
  port_var="ship_${ship}_port"
  keys_var="ship_${ship}_keys"
  brokers_var="ship_${ship}_brokers"
  # The ship's heap settings, as its container image sets them (docs/configuration.md, "Memory").
  start_app "ship:ship-$ship" "NODE_OPTIONS=$ship_node_options" "${ship_malloc[@]}" \
    "PORT=${!port_var}" "SYNC_SHIP_ID=ship-$ship" "DATABASE_FILENAME=$dir/ship-$ship.db" \
    "KAFKA_BROKERS=${!brokers_var}" \
    "SYNC_SIGNING_PRIVATE_KEY=$(value_of SYNC_SIGNING_PRIVATE_KEY "${!keys_var}")" \
    "SYNC_MASTER_PUBLIC_KEY=$master_public"
done

wait_ready() {
  local name="$1" port="$2"
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/api/offline-sync/health/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "$name did not become ready; its log ($dir/$name.log) ends with:" >&2
  tail -n 30 "$dir/$name.log" >&2
  exit 1
}
wait_ready master "$master_port"
wait_ready ship-a "$ship_a_port"
wait_ready ship-b "$ship_b_port"

if [ -x scripts/up/seed.sh ]; then
  bash scripts/up/seed.sh "http://127.0.0.1:$master_port" "$operator_key" \
    "http://127.0.0.1:$ship_a_port" "$crew_key" "http://127.0.0.1:$links_port/links" \
    >"$dir/seed.log" 2>&1 ||
    echo "(seeding example content failed: see $dir/seed.log)"
fi

cat <<INFO

Offline Sync is up.

  console  http://127.0.0.1:$master_port/console   (sign in with the operator key below)
  master   http://127.0.0.1:$master_port/api    PostgreSQL: $master_db_url
  ship-a   http://127.0.0.1:$ship_a_port/api    SQLite: $dir/ship-a.db
  ship-b   http://127.0.0.1:$ship_b_port/api    SQLite: $dir/ship-b.db
  Kafka    $KAFKA_BROKERS
  links    http://127.0.0.1:$links_port/links   (each ship's simulated satellite link)

API keys (header X-API-Key; held hashed in $api_keys_file):
  admin     $admin_key   (push, pull from the beginning, keys)
  operator  $operator_key   (shore: resolves conflicts, dead letters, master content)
  crew      $crew_key   (edits content on the ships; cannot resolve on the master)
  viewer    $viewer_key   (reads: status, health detail, metrics)

Try:
  curl -s -H "X-API-Key: $crew_key" http://127.0.0.1:$ship_a_port/api/offline-sync/status
  curl -s -H "X-API-Key: $viewer_key" http://127.0.0.1:$master_port/api/offline-sync/health
  curl -s -X POST http://127.0.0.1:$links_port/links/ship-a/down     # take ship-a offline
  (walk-through: docs/walkthrough.md)

Logs: $dir/*.log      Press Ctrl-C to stop everything.
INFO
{
  echo "MASTER=http://127.0.0.1:$master_port"
  echo "CONSOLE=http://127.0.0.1:$master_port/console"
  echo "SHIP_A=http://127.0.0.1:$ship_a_port"
  echo "SHIP_B=http://127.0.0.1:$ship_b_port"
  echo "ADMIN_KEY=$admin_key"
  echo "OPERATOR_KEY=$operator_key"
  echo "CREW_KEY=$crew_key"
  echo "VIEWER_KEY=$viewer_key"
  echo "API_KEYS_FILE=$api_keys_file"
  echo "KAFKA_BROKERS=$KAFKA_BROKERS"
  echo "LINKS=http://127.0.0.1:$links_port/links"
} >"$dir/env"
echo "(These values are also in $dir/env, for: source $dir/env)"

# Stay up until Ctrl-C (the trap stops everything), or until one of the apps stops on its own.
# `wait -n` returns at once when a signal arrives, unlike a sleep loop.
set +e
wait -n "${pids[@]}"
# Ctrl-C: the trap has already stopped everything.
[ "$stopping" = 1 ] && exit 0
echo "An app stopped unexpectedly; see the logs in $dir" >&2
exit 1
