#!/usr/bin/env bash
# Installs the project's npm dependencies when they are missing or older than the lockfile.
# Sourced by the up and test commands so both work on a fresh clone.
ensure_node_deps() {
  local root="$1"
  if ! command -v node >/dev/null 2>&1; then
    echo "Node.js 20.19+ is required (https://nodejs.org)" >&2
    return 1
  fi
  if [ ! -f "$root/node_modules/.package-lock.json" ] ||
    [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    echo "Installing npm dependencies..." >&2
    # `npm install` with the committed lockfile installs exactly its versions. (`npm ci` refuses a
    # lockfile that lacks other platforms' optional binaries, which registry mirrors may not serve.)
    (cd "$root" && npm install --no-audit --no-fund --loglevel=error)
  fi
}

# Java 17+ and Maven run the local Kafka broker; PostgreSQL 15 binaries the local database.
ensure_system_tools() {
  local missing=()
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ -n "${KAFKA_BROKERS:-}" ] && [ -n "${DATABASE_URL:-}" ]; then return 0; fi
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
