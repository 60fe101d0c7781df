#!/usr/bin/env bash
# Builds the operator console (apps/console) into dist/console, which the master serves at
# /console. Its npm packages are its own (apps/console/package-lock.json), installed when missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/ensure-node.sh
source "$root/scripts/lib/ensure-node.sh"
ensure_node "$root"
console="$root/apps/console"
# shellcheck source=lib/ensure-deps.sh
source "$root/scripts/lib/ensure-deps.sh"
ensure_console_deps "$root"
(cd "$console" && npm run build --silent)
