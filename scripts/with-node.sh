#!/usr/bin/env bash
# Runs a command with the project's Node (.nvmrc) first on PATH and the npm packages built for it;
# the package scripts that run code go through here so they never run on another Node.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/ensure-deps.sh
source "$root/scripts/lib/ensure-deps.sh"
ensure_node_deps "$root"
exec "$@"
