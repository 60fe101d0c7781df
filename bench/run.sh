#!/usr/bin/env bash
# `npm run bench [-- --only <scenario>[,...]] [--quick] [--<size> <n>]`: installs what is
# missing (as the test command does), then runs the benchmark suite (bench/run.ts).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=../scripts/lib/ensure-deps.sh
source scripts/lib/ensure-deps.sh
ensure_system_tools
ensure_node_deps "$root"
print_node_version
export KAFKAJS_NO_PARTITIONER_WARNING=1
exec npx ts-node --transpile-only -r tsconfig-paths/register bench/run.ts "$@"
