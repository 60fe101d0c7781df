import { round } from '../lib/measure';
import type { Scenario, ScenarioResult } from '../lib/scenario';
import { measureIngest } from './ingest.bench';

const TITLE = '7 conflict-heavy ingest';

/** Scenario 1 again, with `conflictPercent` of the writes editing documents every ship edits. */
export const conflicts: Scenario = {
  name: 'conflicts',
  title: TITLE,
  async run(context): Promise<ScenarioResult> {
    const { conflictPercent, conflictPool, conflictSeconds, ingestBulk, ingestConcurrency } =
      context.sizes;
    const m = await measureIngest(context, {
      editPercent: conflictPercent,
      pool: conflictPool,
      seconds: conflictSeconds,
      perRequest: ingestBulk,
      concurrency: ingestConcurrency,
    });
    await m.fleet.stop();
    const base = context.results.ingest?.rows[0]?.value ?? null;
    return {
      rows: [
        {
          scenario: TITLE,
          metric: `changes committed on master, ${conflictPercent}% concurrent edits`,
          value: round(m.perSec),
          unit: '/s',
          note: `${conflictSeconds} s; ${m.conflicts} conflicts opened; slowest 5 s slice ${Math.round(m.slowestSlicePerSec)}/s`,
        },
        {
          scenario: TITLE,
          metric: 'relative to scenario 1',
          value: base ? round(m.perSec / base, 3) : null,
          unit: '',
          note: base ? '' : 'scenario 1 did not run in this run',
        },
      ],
      details: { ...m, fleet: undefined },
    };
  },
};
