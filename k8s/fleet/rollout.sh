#!/usr/bin/env bash
# Rolls the ship edge out across the fleet: one Helm release per ship, each on the ship's own
# cluster (kubeContext in the fleet values), one ship after the other. Ships at sea may be out of
# reach: a ship that fails is reported and skipped, and the run goes on; run it again later for
# the ones left (ONLY=<shipId> for one ship).
#
# Usage: k8s/fleet/rollout.sh [FLEET_VALUES]          (default k8s/fleet/fleet-values.yaml)
# Environment:
#   ONLY=<shipId>        roll out this ship only
#   NAMESPACE            default offline-sync
#   DRY_RUN=1            render each ship's release (helm template) instead of installing it
#   HELM                 helm binary (default: helm on PATH, else .cache/tools/bin/helm)
#   HELM_ARGS            extra arguments for helm upgrade, e.g. "--set image.tag=0.2.0"
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
values="${1:-$root/k8s/fleet/fleet-values.yaml}"
chart="$root/k8s/charts/offline-sync-ship"
namespace="${NAMESPACE:-offline-sync}"
helm="${HELM:-$(command -v helm || echo "$root/.cache/tools/bin/helm")}"
[[ -x "$helm" ]] || { echo "helm not found (set HELM)" >&2; exit 1; }

# "  - shipId: <id>" and, in the same entry, "    kubeContext: <context>" (the fleet file's layout).
mapfile -t entries < <(awk '
  /^  - shipId:/ { if (id != "") print id " " ctx; id = $3; ctx = "" }
  /^    kubeContext:/ { ctx = $2 }
  END { if (id != "") print id " " ctx }' "$values")
((${#entries[@]} > 0)) || { echo "no ships in $values" >&2; exit 1; }

done_ships=() failed=()
for entry in "${entries[@]}"; do
  read -r ship context <<<"$entry"
  [[ -n "${ONLY:-}" && "$ONLY" != "$ship" ]] && continue
  args=(-f "$values" --set-string "onlyShip=$ship" --namespace "$namespace")
  # shellcheck disable=SC2206
  [[ -n "${HELM_ARGS:-}" ]] && args+=($HELM_ARGS)
  echo "== $ship${context:+ (context $context)}" >&2
  if [[ "${DRY_RUN:-}" == 1 ]]; then
    cmd=("$helm" template "$ship" "$chart" "${args[@]}")
  else
    cmd=("$helm" upgrade --install "$ship" "$chart" "${args[@]}" --create-namespace
      --wait --timeout 10m --atomic ${context:+--kube-context "$context"})
  fi
  if "${cmd[@]}"; then done_ships+=("$ship"); else failed+=("$ship"); fi
done

echo "rolled out: ${done_ships[*]:-none}" >&2
if ((${#failed[@]} > 0)); then
  echo "failed (retry with ONLY=<shipId> when the ship is reachable): ${failed[*]}" >&2
  exit 1
fi
