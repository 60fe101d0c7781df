import type { AnomalyKind, CheckReport } from './checker';
import { FAULT_KINDS, type FaultKind } from './fault-schedule';

export interface RunSettings {
  seed: number;
  minutes: number;
  ships: number;
  faults: readonly FaultKind[];
  defect?: string;
  /** Anomaly kinds the run must find (the self-check). */
  expect?: readonly string[];
}

/** The command that replays a run's fault schedule (and workload seed). */
export function replayCommand(settings: RunSettings): string {
  const faults =
    settings.faults.length === FAULT_KINDS.length &&
    FAULT_KINDS.every((kind) => settings.faults.includes(kind))
      ? 'all'
      : settings.faults.join(',');
  return [
    'npm run chaos --',
    `--seed ${settings.seed}`,
    `--minutes ${settings.minutes}`,
    `--ships ${settings.ships}`,
    `--faults ${faults}`,
    ...(settings.defect ? [`--defect ${settings.defect}`] : []),
    ...(settings.expect && settings.expect.length > 0
      ? [`--expect ${settings.expect.join(',')}`]
      : []),
  ].join(' ');
}

/** How many anomalies of each kind a report holds. */
export function anomalyCounts(report: CheckReport): Partial<Record<AnomalyKind, number>> {
  const counts: Partial<Record<AnomalyKind, number>> = {};
  for (const anomaly of report.anomalies) counts[anomaly.kind] = (counts[anomaly.kind] ?? 0) + 1;
  return counts;
}

/** The report as printed at the end of a run. */
export function formatReport(
  settings: RunSettings,
  report: CheckReport,
  files: { dir: string },
  quiescence: { reached: boolean; waitedMs: number; detail: string },
  examplesPerKind = 10,
): string {
  const { stats } = report;
  const lines: string[] = [];
  const faults = Object.entries(stats.faultsByKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  const totalFaults = Object.values(stats.faultsByKind).reduce((a, b) => a + (b ?? 0), 0);
  const answers = Object.entries(stats.answers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cls, n]) => `${cls} ${n}`)
    .join(', ');
  lines.push(
    `Chaos run: seed ${settings.seed}, ${settings.minutes} min, ${settings.ships} ships${settings.defect ? `, seeded defect ${settings.defect}` : ''}`,
    `  faults injected:    ${totalFaults} (${faults || 'none'})${stats.faultErrors > 0 ? `; ${stats.faultErrors} could not be done or undone` : ''}`,
    `  operations:         ${stats.operations} (${answers})`,
    `  writes acknowledged: ships ${stats.writesAcknowledged.ships}, masters ${stats.writesAcknowledged.masters}, conflict resolutions ${stats.writesAcknowledged.resolutions}`,
    `  conflicts:          ${stats.conflicts.total} (${stats.conflicts.open} open at the end)`,
    `  final content:      ${stats.documents} live documents, ${stats.revisions} versions in the master's edit log`,
    `  dead letters:       master ${stats.deadLetters.master}, ships ${stats.deadLetters.ships}`,
    `  unplanned exits:    ${stats.processExits.starting} while starting (e.g. a master whose broker or database was down), ${stats.processExits.crashed} after being ready; the supervisor started each again`,
    `  quiescence:         ${quiescence.reached ? `reached after ${(quiescence.waitedMs / 1000).toFixed(1)} s` : `NOT reached in ${(quiescence.waitedMs / 1000).toFixed(1)} s: ${quiescence.detail}`}`,
  );
  const counts = anomalyCounts(report);
  const kinds = Object.keys(counts) as AnomalyKind[];
  lines.push(
    `  anomalies:          ${report.anomalies.length}${kinds.length > 0 ? ` (${kinds.map((k) => `${k} ${counts[k]}`).join(', ')})` : ''}`,
  );
  for (const kind of kinds) {
    const examples = report.anomalies.filter((a) => a.kind === kind);
    lines.push(`  ${kind}:`);
    for (const anomaly of examples.slice(0, examplesPerKind)) {
      const ops = anomaly.ops?.length ? ` [op ${anomaly.ops.join(', ')}]` : '';
      lines.push(`    - ${anomaly.message}${ops}`);
    }
    if (examples.length > examplesPerKind) {
      lines.push(`    ... and ${examples.length - examplesPerKind} more (report.json)`);
    }
  }
  lines.push(
    `  seed:               ${settings.seed}`,
    `  replay:             ${replayCommand(settings)}`,
    `  files:              ${files.dir} (history.jsonl, schedule.json, final-state.json, report.json, node logs)`,
  );
  return lines.join('\n');
}
