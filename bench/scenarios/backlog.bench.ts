import { BenchFleet } from '../lib/bench-fleet';
import { backlogCatchUp, RECONNECT_ENV } from '../lib/catch-up';
import { fleetMemory } from '../lib/fleet-memory';
import { describeCpu, round } from '../lib/measure';
import type { Scenario, ScenarioResult } from '../lib/scenario';

const TITLE = '2 backlog catch-up';

export const backlog: Scenario = {
  name: 'backlog',
  title: TITLE,
  async run(context): Promise<ScenarioResult> {
    const {
      backlog: count,
      seedConcurrency,
      seedBulk,
      seedSeconds,
      waitLimitSeconds,
    } = context.sizes;
    const fleet = await BenchFleet.start({ ships: ['ship-a'], env: RECONNECT_ENV });
    try {
      const r = await backlogCatchUp(fleet, 'ship-a', {
        count,
        concurrency: seedConcurrency,
        perRequest: seedBulk,
        limitMs: waitLimitSeconds * 1000,
        seedSeconds,
      });
      const memory = fleetMemory(fleet);
      const s = (ms: number | null): number | null => (ms === null ? null : round(ms / 1000, 1));
      const rate = r.committedMs === null ? null : round((r.seeded * 1000) / r.committedMs);
      return {
        rows: [
          {
            scenario: TITLE,
            metric: `${r.seeded.toLocaleString('en-US')} changes committed, outcomes back on the ship`,
            value: s(r.outcomesBackMs),
            unit: 's',
            target: '< 60',
            note: `all committed on master at ${s(r.committedMs) ?? '—'} s; first at ${s(r.firstCommitMs) ?? '—'} s`,
          },
          {
            scenario: TITLE,
            metric: 'catch-up rate (restore → last commit)',
            value: rate,
            unit: 'changes/s',
            note: `CPU % of a core while catching up: ${describeCpu(r.cpuPercent)}`,
          },
          {
            scenario: TITLE,
            metric: 'seeding the backlog through the ship API',
            value: r.seedPerSec,
            unit: 'writes/s',
            note: `bulk requests of ${seedBulk}, ${seedConcurrency} in flight, ${round(r.seedMs / 1000)} s${r.seeded < r.requested ? `; capped at ${seedSeconds} s: ${r.seeded} of ${r.requested} requested` : ''}`,
          },
        ],
        memory,
        details: { ...r, env: RECONNECT_ENV },
      };
    } finally {
      await fleet.stop();
    }
  },
};
