#!/usr/bin/env bash
# Builds the operator console (apps/console) into dist/console, which the master serves at
# /console. Its npm packages are its own (apps/console/package-lock.json), installed when missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/ensure-node.sh
source "$root/scripts/lib/ensure-node.sh"
ensure_node "$root"
console="$root/apps/console"
if [ ! -f "$console/node_modules/.package-lock.json" ] ||
  [ "$console/package-lock.json" -nt "$console/node_modules/.package-lock.json" ]; then
  echo "Installing the console's npm dependencies..." >&2
  (cd "$console" && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd "$console" && npm run build --silent)
