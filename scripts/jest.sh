#!/usr/bin/env bash
# Jest on the project's Node. Nest 12 and a few other packages are ES modules only; Jest's own
# module loader reads them through Node's vm modules, which Node 26 still puts behind a flag.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec node --experimental-vm-modules --disable-warning=ExperimentalWarning \
  "$root/node_modules/jest/bin/jest.js" "$@"
