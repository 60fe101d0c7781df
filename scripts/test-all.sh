#!/usr/bin/env bash
# The whole test suite: installs what is missing, then lint, formatting, type-check, the OpenAPI
# documents' lint, unit tests, integration tests against a real Kafka broker and PostgreSQL
# (started here when KAFKA_BROKERS / DATABASE_URL are not set), the end-to-end fleet tests,
# Schemathesis against both apps and the short fault-injection runs. Ends with one line:
# "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=lib/ensure-deps.sh
source scripts/lib/ensure-deps.sh
ensure_system_tools
ensure_browser
ensure_node_deps "$root"
print_node_version
export KAFKAJS_NO_PARTITIONER_WARNING=1
mkdir -p .run
started=$(date +%s)

step() { printf '\n== %s\n' "$1"; }

step "lint (zero warnings)"
npx eslint . --max-warnings 0
step "formatting"
npx prettier --check . --log-level warn
step "type-check"
npx tsc --noEmit -p tsconfig.json
step "deployment manifests"
bash scripts/validate-deploy.sh
step "OpenAPI documents (Redocly, recommended rules as errors)"
npm run --silent openapi:lint

status=0
rm -f .run/jest-unit.json .run/jest-integration.json .run/jest-e2e.json .run/jest-contract.json .run/chaos-short.json
step "unit tests"
bash scripts/jest.sh --selectProjects unit --json --outputFile=.run/jest-unit.json || status=1
step "integration tests (real Kafka + PostgreSQL)"
bash scripts/jest.sh --selectProjects integration --runInBand --json --outputFile=.run/jest-integration.json || status=1
step "end-to-end fleet tests (master and ships as processes, links cut and restored)"
bash scripts/jest.sh --selectProjects e2e --runInBand --json --outputFile=.run/jest-e2e.json || status=1
step "API contract: Schemathesis against both apps (real processes; no 5xx, answers as documented)"
ensure_schemathesis "$root" || status=1
bash scripts/jest.sh --selectProjects contract --runInBand --json --outputFile=.run/jest-contract.json || status=1
step "fault injection (npm run chaos -- --short: a fixed seed, a random seed, the seeded-defect self-check)"
# Its own Kafka and PostgreSQL (it kills and restarts them); the seeds are printed, with how to replay each.
npm run --silent chaos -- --short || status=1

node -e '
const fs = require("fs");
let passed = 0, failed = 0, skipped = 0;
for (const f of [".run/jest-unit.json", ".run/jest-integration.json", ".run/jest-e2e.json", ".run/jest-contract.json"]) {
  if (!fs.existsSync(f)) { failed++; continue; }
  const r = JSON.parse(fs.readFileSync(f, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  skipped += r.numPendingTests + r.numTodoTests;
}
// The chaos runs count one each (written by npm run chaos -- --short).
if (fs.existsSync(".run/chaos-short.json")) {
  const r = JSON.parse(fs.readFileSync(".run/chaos-short.json", "utf8"));
  passed += r.passed; failed += r.failed;
} else failed++;
console.log(`\nTest suite took ${Math.round(Date.now() / 1000 - Number(process.argv[1]))} s`);
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$started"
exit $status
