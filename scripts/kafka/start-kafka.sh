#!/usr/bin/env bash
# Start a single-node Apache Kafka broker (KRaft, combined broker+controller) from the broker jars on
# Maven Central, with the machine's Java 17. No Docker needed.
#
# Usage:  scripts/kafka/start-kafka.sh [DATA_DIR]
#
#   DATA_DIR                 broker home (config, pid file, logs, partitions). Default: $KAFKA_DATA_DIR,
#                            else a new `mktemp -d`. An existing, stopped DATA_DIR is restarted with its
#                            data, cluster id and (unless overridden) the same ports: that is the
#                            "restart" path (stop-kafka.sh DATA_DIR --keep-data; start-kafka.sh DATA_DIR).
# Environment:
#   KAFKA_PORT               client listener port (default: the port saved in DATA_DIR, else a free one)
#   KAFKA_CONTROLLER_PORT    KRaft controller port (same defaulting)
#   KAFKA_VERSION            default 4.1.2 (any org.apache.kafka:kafka_2.13 version on Maven Central)
#   LOG4J_VERSION            log4j2 version for the SLF4J binding (default: the one KAFKA_VERSION uses)
#   KAFKA_LISTENER_NAME      name of the client listener (default PLAINTEXT)
#   KAFKA_SECURITY_PROTOCOL  its protocol: PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL (default: the
#                            listener name if that is a protocol name, else PLAINTEXT)
#   KAFKA_EXTRA_PROPERTIES   path of a properties file appended to server.properties (later keys win).
#                            The tokens {PORT}, {CONTROLLER_PORT} and {DATA_DIR} in it are substituted.
#   KAFKA_FORMAT_ARGS        extra arguments of the one-time `kafka-storage format` (split on
#                            whitespace, no globbing), e.g. SCRAM users:
#                            --add-scram SCRAM-SHA-512=[name=ship,password=ship-secret]
#   KAFKA_START_TIMEOUT      readiness timeout in seconds (default 60)
#   KAFKA_JVM                small (default: quick start, 256 MB heap, for tests and local runs) or
#                            server (G1, 2 GB heap, full JIT: a broker holding thousands of topics)
#   KAFKA_JAVA_OPTS          extra JVM options (appended)
#   KAFKA_CACHE_DIR          download cache (default <repo>/.cache)
#   JAVA_HOME                Java to use (default: `java` on PATH)
#
# stdout on success (everything else goes to stderr):
#   KAFKA_BROKERS=127.0.0.1:<port>
#   KAFKA_DATA_DIR=<dir>
#   KAFKA_PID=<pid>
#
# Files in DATA_DIR: server.properties, cluster.id, ports.env, kafka.pid, broker.log (log4j2, INFO),
# broker.out (JVM stdout/stderr), log4j2.properties, kraft/ (log.dirs incl. the metadata log).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

log() { printf '[start-kafka] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=../lib/process.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/process.sh"
now_ms() { date +%s%3N; }

T0=$(now_ms)
KAFKA_VERSION="${KAFKA_VERSION:-4.1.2}"
case "$KAFKA_VERSION" in
  4.4.*) DEFAULT_LOG4J=2.25.5 ;;
  *) DEFAULT_LOG4J=2.24.3 ;; # 4.0.x and 4.1.x are built with 2.24.3; any log4j2 2.x binding works
esac
LOG4J_VERSION="${LOG4J_VERSION:-$DEFAULT_LOG4J}"
CACHE_DIR="${KAFKA_CACHE_DIR:-$REPO_ROOT/.cache}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
JAVA_BIN="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA_BIN="$JAVA_HOME/bin/java"; fi
command -v "$JAVA_BIN" >/dev/null || die "java not found (install Java 17+ or set JAVA_HOME)"

# ---------------------------------------------------------------- helpers

# Is PID alive and a broker started on this DATA_DIR (guards against pid reuse)?
is_our_broker() {
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"$DATA_DIR/server.properties"* ]]
}

# ---------------------------------------------------------------- runtime jars (cached)

fetch_jars() {
  local base="$CACHE_DIR/kafka/$KAFKA_VERSION"
  LIBS_DIR="$base/libs"
  local marker="$base/.complete"
  mkdir -p "$base"
  exec 8>"$base/.lock"
  flock 8 # one download at a time per version
  if [[ -f "$marker" && -d "$LIBS_DIR" ]] && [[ "$(cat "$marker")" == "kafka=$KAFKA_VERSION log4j=$LOG4J_VERSION" ]]; then
    exec 8>&-
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found; it is needed once to download Kafka $KAFKA_VERSION"
  log "downloading Kafka $KAFKA_VERSION broker jars from Maven Central (log4j $LOG4J_VERSION) ..."
  local t=$(now_ms)
  rm -rf "$base/libs.tmp" "$LIBS_DIR" "$marker"
  if ! mvn -q -B -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -Dlog4j.version="$LOG4J_VERSION" \
    -DincludeScope=runtime -Dmaven.repo.local="$CACHE_DIR/m2" \
    -DoutputDirectory="$base/libs.tmp" >&2; then
    rm -rf "$base/libs.tmp"
    die "maven could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION"
  fi
  compgen -G "$base/libs.tmp/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null || die "kafka_2.13-$KAFKA_VERSION.jar missing after download"
  compgen -G "$base/libs.tmp/log4j-slf4j-impl-*.jar" >/dev/null || die "log4j-slf4j-impl missing after download"
  mv "$base/libs.tmp" "$LIBS_DIR"
  echo "kafka=$KAFKA_VERSION log4j=$LOG4J_VERSION" >"$marker"
  log "downloaded $(ls "$LIBS_DIR" | wc -l) jars in $(($(now_ms) - t)) ms"
  exec 8>&-
}

# ---------------------------------------------------------------- data dir

if [[ $# -gt 1 ]]; then die "usage: $0 [DATA_DIR]"; fi
DATA_DIR="${1:-${KAFKA_DATA_DIR:-}}"
if [[ -z "$DATA_DIR" ]]; then
  DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/kafka-XXXXXX")"
  # On failure remove the dir we created: the caller never learns its path.
  trap 'rc=$?; if ((rc != 0)); then rm -rf -- "$DATA_DIR"; fi' EXIT
else
  mkdir -p "$DATA_DIR"
  DATA_DIR="$(cd "$DATA_DIR" && pwd)"
fi

exec 9>"$DATA_DIR/.start.lock"
flock -n 9 || die "another start-kafka.sh is running on $DATA_DIR"

PID_FILE="$DATA_DIR/kafka.pid"
if [[ -f "$PID_FILE" ]]; then
  old_pid="$(cat "$PID_FILE")"
  if is_our_broker "$old_pid"; then
    die "a broker (pid $old_pid) is already running on $DATA_DIR; stop it first (scripts/kafka/stop-kafka.sh $DATA_DIR --keep-data)"
  fi
  log "removing stale pid file (pid $old_pid is not running)"
  rm -f "$PID_FILE"
fi

fetch_jars

SAVED_PORT="" SAVED_CONTROLLER_PORT=""
if [[ -f "$DATA_DIR/ports.env" ]]; then
  SAVED_PORT="$(sed -n 's/^PORT=//p' "$DATA_DIR/ports.env")"
  SAVED_CONTROLLER_PORT="$(sed -n 's/^CONTROLLER_PORT=//p' "$DATA_DIR/ports.env")"
fi
PORT="${KAFKA_PORT:-${SAVED_PORT:-}}"
[[ -n "$PORT" ]] || PORT="$(free_port)"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-${SAVED_CONTROLLER_PORT:-}}"
[[ -n "$CONTROLLER_PORT" ]] || CONTROLLER_PORT="$(free_port "$PORT")"
[[ "$PORT" =~ ^[0-9]+$ && "$CONTROLLER_PORT" =~ ^[0-9]+$ ]] || die "ports must be numbers"
[[ "$PORT" != "$CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
for p in "$PORT" "$CONTROLLER_PORT"; do
  port_in_use "$p" && die "port $p on 127.0.0.1 is already in use"
done
printf 'PORT=%s\nCONTROLLER_PORT=%s\n' "$PORT" "$CONTROLLER_PORT" >"$DATA_DIR/ports.env"

LISTENER_NAME="${KAFKA_LISTENER_NAME:-PLAINTEXT}"
case "$LISTENER_NAME" in
  PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL) DEFAULT_PROTOCOL="$LISTENER_NAME" ;;
  *) DEFAULT_PROTOCOL=PLAINTEXT ;;
esac
SECURITY_PROTOCOL="${KAFKA_SECURITY_PROTOCOL:-$DEFAULT_PROTOCOL}"
[[ "$LISTENER_NAME" != CONTROLLER ]] || die "KAFKA_LISTENER_NAME must not be CONTROLLER"

# ---------------------------------------------------------------- config

PROPS="$DATA_DIR/server.properties"
cat >"$PROPS" <<EOF
# Generated by scripts/kafka/start-kafka.sh (rewritten on every start)
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=$LISTENER_NAME://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=$LISTENER_NAME://127.0.0.1:$PORT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,$LISTENER_NAME:$SECURITY_PROTOCOL
inter.broker.listener.name=$LISTENER_NAME
controller.listener.names=CONTROLLER
log.dirs=$DATA_DIR/kraft
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Let tests use short consumer session timeouts (broker default minimum is 6 s).
group.min.session.timeout.ms=1000
# Restart after a crash (SIGKILL) must wait until the dead broker's session expires
# (DUPLICATE_BROKER_REGISTRATION until then): default 9 s, here 3 s.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000
# Compaction that tests can wait for (topic needs small segment.ms / min.cleanable.dirty.ratio too).
log.cleaner.backoff.ms=500
# The cleaner's dedupe buffer lives on the heap (default 128 MB); keep it small for -Xmx256m.
log.cleaner.dedupe.buffer.size=16777216
EOF
if [[ -n "${KAFKA_EXTRA_PROPERTIES:-}" ]]; then
  [[ -f "$KAFKA_EXTRA_PROPERTIES" ]] || die "KAFKA_EXTRA_PROPERTIES=$KAFKA_EXTRA_PROPERTIES is not a file"
  {
    printf '\n# --- from %s\n' "$KAFKA_EXTRA_PROPERTIES"
    sed -e "s|{PORT}|$PORT|g" -e "s|{CONTROLLER_PORT}|$CONTROLLER_PORT|g" -e "s|{DATA_DIR}|$DATA_DIR|g" \
      "$KAFKA_EXTRA_PROPERTIES"
  } >>"$PROPS"
fi

cat >"$DATA_DIR/log4j2.properties" <<'EOF'
# Broker log -> ${sys:kafka.broker.log}; nothing on stdout.
name=offline-sync-kafka
appender.file.type=File
appender.file.name=FILE
appender.file.fileName=${sys:kafka.broker.log}
appender.file.append=true
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=FILE
logger.request.name=kafka.request.logger
logger.request.level=WARN
logger.network.name=kafka.network.RequestChannel$
logger.network.level=WARN
logger.state.name=state.change.logger
logger.state.level=WARN
EOF

CP="$LIBS_DIR/*"
case "${KAFKA_JVM:-small}" in
  small) JAVA_OPTS=(-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1) ;;
  # What Kafka's own kafka-server-start.sh runs with, heap sized for thousands of partitions.
  server) JAVA_OPTS=(-Xms1g -Xmx2g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35) ;;
  *) die "KAFKA_JVM=${KAFKA_JVM} is neither small nor server" ;;
esac
JAVA_OPTS+=(-Djava.awt.headless=true
  "-Dlog4j2.configurationFile=$DATA_DIR/log4j2.properties" "-Dkafka.broker.log=$DATA_DIR/broker.log")
# shellcheck disable=SC2206
[[ -n "${KAFKA_JAVA_OPTS:-}" ]] && JAVA_OPTS+=($KAFKA_JAVA_OPTS)

# Cluster id: a random 16-byte UUID, base64url without padding (what `StorageTool random-uuid`
# prints; like Kafka's Uuid.randomUuid() never starting with '-'). Generated here to save a JVM start.
if [[ ! -f "$DATA_DIR/cluster.id" ]]; then
  id="-"
  while [[ "$id" == -* ]]; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  echo "$id" >"$DATA_DIR/cluster.id"
fi
CLUSTER_ID="$(cat "$DATA_DIR/cluster.id")"
# Format once; the cluster id must never change for a data dir (re-formatting with another fails).
FORMAT_ARGS=()
# `read -a` splits on whitespace without pathname expansion ("[name=...]" stays as it is).
[[ -n "${KAFKA_FORMAT_ARGS:-}" ]] && read -r -a FORMAT_ARGS <<<"$KAFKA_FORMAT_ARGS"
if [[ ! -f "$DATA_DIR/kraft/meta.properties" ]]; then
  if ! "$JAVA_BIN" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CP" \
    -Dlog4j2.configurationFile="$DATA_DIR/log4j2.properties" -Dkafka.broker.log="$DATA_DIR/broker.log" \
    kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$PROPS" --ignore-formatted "${FORMAT_ARGS[@]}" >"$DATA_DIR/format.out" 2>&1; then
    cat "$DATA_DIR/format.out" >&2
    die "kafka storage format failed"
  fi
fi
T_FORMATTED=$(now_ms)

# ---------------------------------------------------------------- launch

LOG_FILE="$DATA_DIR/broker.log"
touch "$LOG_FILE"
LOG_OFFSET=$(stat -c %s "$LOG_FILE") # on restart only look at what this run writes

# setsid: own session, survives the caller; the inner shell writes its pid, then execs java.
setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
  "$JAVA_BIN" "${JAVA_OPTS[@]}" -cp "$CP" kafka.Kafka "$PROPS" \
  </dev/null >>"$DATA_DIR/broker.out" 2>&1 9>&- &
LAUNCHER=$!
for _ in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.02; done
PID="$(cat "$PID_FILE" 2>/dev/null || echo "$LAUNCHER")"

fail() {
  log "ERROR: $*"
  log "---- tail of $LOG_FILE"
  tail -c +"$((LOG_OFFSET + 1))" "$LOG_FILE" | tail -n 40 >&2 || true
  if [[ -s "$DATA_DIR/broker.out" ]]; then
    log "---- tail of $DATA_DIR/broker.out"
    tail -n 20 "$DATA_DIR/broker.out" >&2 || true
  fi
  if alive "$PID"; then
    log "stopping the half-started broker (pid $PID)"
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$PID" || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  exit 1
}

deadline=$(($(now_ms) + START_TIMEOUT * 1000))
while :; do
  if ! alive "$PID"; then fail "broker process $PID exited during startup"; fi
  # grep -c reads all its input: with `grep -q` and pipefail an early exit could SIGPIPE tail.
  if tail -c +"$((LOG_OFFSET + 1))" "$LOG_FILE" | grep -c 'Kafka Server started' >/dev/null &&
    port_in_use "$PORT"; then
    break
  fi
  if (($(now_ms) > deadline)); then fail "broker not ready after ${START_TIMEOUT}s"; fi
  sleep 0.1
done

log "Kafka $KAFKA_VERSION ready on 127.0.0.1:$PORT (pid $PID) in $(($(now_ms) - T0)) ms (launch $(($(now_ms) - T_FORMATTED)) ms)"
echo "KAFKA_BROKERS=127.0.0.1:$PORT"
echo "KAFKA_DATA_DIR=$DATA_DIR"
echo "KAFKA_PID=$PID"
