#!/usr/bin/env bash
# Installs what the up, test and bench commands need on a fresh clone: the project's Node
# (scripts/lib/ensure-node.sh), its npm packages, and the system tools below.
# shellcheck source=ensure-node.sh
source "$(dirname "${BASH_SOURCE[0]}")/ensure-node.sh"

# Root's tools (runuser, useradd) live in the sbin directories, which a minimal PATH leaves out.
case ":$PATH:" in
  *:/usr/sbin:*) ;;
  *) export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" ;;
esac

# Installs the npm packages when they are missing, older than the lockfile, or built for another
# Node (native modules are tied to its ABI).
ensure_node_deps() {
  local root="$1" abi stale=false
  ensure_node "$root"
  abi="$(node -p 'process.versions.modules')"
  # Modules built for another Node stay stale when npm install leaves their package as it is.
  if [ -d "$root/node_modules" ] && [ "$(cat "$root/node_modules/.node-abi" 2>/dev/null)" != "$abi" ]; then
    stale=true
  fi
  if [ ! -f "$root/node_modules/.package-lock.json" ] ||
    [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    echo "Installing npm dependencies..." >&2
    # `npm install` with the committed lockfile installs exactly its versions. (`npm ci` refuses a
    # lockfile that lacks other platforms' optional binaries, which registry mirrors may not serve.)
    # @confluentinc/kafka-javascript (an evaluated Kafka client, docs/adr) builds librdkafka here,
    # linked to Debian's libraries: its prebuilt binaries and bundled sources come from GitHub.
    (cd "$root" && CKJS_LINKING=dynamic npm_node_build install --no-audit --no-fund --loglevel=error)
  fi
  if [ "$stale" = true ]; then
    echo "Rebuilding native npm modules for Node $(node --version)..." >&2
    # node-pre-gyp keeps a binary it finds unless told to build it.
    (cd "$root" && CKJS_LINKING=dynamic npm_node_build rebuild --build-from-source --loglevel=error)
  fi
  echo "$abi" >"$root/node_modules/.node-abi"
  ensure_console_deps "$root"
}

# The operator console (apps/console) has its own packages and lockfile; lint and type-check
# read its React and Vite types, so they are installed with the project's.
ensure_console_deps() {
  local console="$1/apps/console"
  if [ ! -f "$console/node_modules/.package-lock.json" ] ||
    [ "$console/package-lock.json" -nt "$console/node_modules/.package-lock.json" ]; then
    echo "Installing the console's npm dependencies..." >&2
    (cd "$console" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

print_node_version() {
  echo "Node $(node --version) ($(command -v node)), npm $(npm --version)"
}

# Java 17+ and Maven run the local Kafka broker, PostgreSQL 15 binaries the local database (both
# unless KAFKA_BROKERS and DATABASE_URL name running ones); curl fetches and probes; Python 3 with
# venv hosts the pinned checkers (deployment manifests, Schemathesis).
ensure_system_tools() {
  local missing=()
  if [ -z "${KAFKA_BROKERS:-}" ] || [ -z "${DATABASE_URL:-}" ]; then
    command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
    command -v mvn >/dev/null 2>&1 || missing+=(maven)
    if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
      missing+=(postgresql)
    fi
  fi
  command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
  # A C++ toolchain and the libraries librdkafka links to (native npm modules build from source).
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  command -v make >/dev/null 2>&1 || missing+=(make)
  local lib
  command -v dpkg-query >/dev/null 2>&1 &&
    for lib in libssl-dev libsasl2-dev libzstd-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev; do
      dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q "install ok installed" || missing+=("$lib")
    done
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    missing+=(python3 python3-venv python3-pip)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  install_packages "${missing[@]}"
}

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
ensure_browser() {
  if [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1; then return 0; fi
  install_packages chromium
}

install_packages() {
  local missing=("$@")
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} with apt-get..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "Missing tools: ${missing[*]}. Install them (as root this script does it with apt-get)." >&2
    return 1
  fi
}

# Schemathesis (PyPI), which fuzzes both apps' APIs from their OpenAPI documents, in its own
# virtual environment under .cache/ at a pinned version (ensure_system_tools provides venv).
SCHEMATHESIS_VERSION=4.32.5
ensure_schemathesis() {
  local root="$1" venv="$1/.cache/schemathesis"
  if [ -x "$venv/bin/schemathesis" ] &&
    [ "$(cat "$venv/.version" 2>/dev/null)" = "$SCHEMATHESIS_VERSION" ]; then
    return 0
  fi
  echo "Installing Schemathesis $SCHEMATHESIS_VERSION into .cache/schemathesis..." >&2
  rm -rf "$venv"
  mkdir -p "$root/.cache"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  echo "$SCHEMATHESIS_VERSION" >"$venv/.version"
}
