import { BenchFleet } from '../lib/bench-fleet';
import { backlogCatchUp, RECONNECT_ENV } from '../lib/catch-up';
import { round } from '../lib/measure';
import type { Scenario, ScenarioResult } from '../lib/scenario';

const TITLE = '6 satellite link';
const ONE_WAY_MS = 300;
const BYTES_PER_SEC = 2_000_000 / 8;

/**
 * The backlog of scenario 2 sent over a shaped link (600 ms round trip, 2 Mbit/s each way). The
 * utilisation is the bytes that crossed towards shore while catching up, over what the link could
 * carry in that time.
 */
export const satellite: Scenario = {
  name: 'satellite',
  title: TITLE,
  async run(context): Promise<ScenarioResult> {
    const { satelliteBacklog, seedConcurrency, seedBulk, seedSeconds, waitLimitSeconds } =
      context.sizes;
    const fleet = await BenchFleet.start({
      ships: ['ship-sat'],
      env: { ...RECONNECT_ENV, KAFKA_CONNECTION_TIMEOUT: '10000' },
    });
    try {
      const r = await backlogCatchUp(
        fleet,
        'ship-sat',
        {
          count: satelliteBacklog,
          concurrency: seedConcurrency,
          perRequest: seedBulk,
          limitMs: waitLimitSeconds * 1000,
          seedSeconds,
        },
        () =>
          fleet
            .link('ship-sat')
            .shape({ latencyMs: ONE_WAY_MS, bandwidthBytesPerSec: BYTES_PER_SEC }),
      );
      const sendMs = r.committedMs ?? waitLimitSeconds * 1000;
      const utilisation = (r.linkUpBytes / (BYTES_PER_SEC * (sendMs / 1000))) * 100;
      const s = (ms: number | null): number | null => (ms === null ? null : round(ms / 1000, 1));
      return {
        rows: [
          {
            scenario: TITLE,
            metric: 'link utilisation towards shore while catching up',
            value: round(utilisation),
            unit: '%',
            target: '≥ 50',
            note: `${round(r.linkUpBytes / 1024)} KiB up in ${s(r.committedMs) ?? '—'} s (2 Mbit/s, 600 ms RTT)`,
          },
          {
            scenario: TITLE,
            metric: `${r.seeded.toLocaleString('en-US')} changes committed, outcomes back`,
            value: s(r.outcomesBackMs),
            unit: 's',
            note: `all committed at ${s(r.committedMs) ?? '—'} s; first at ${s(r.firstCommitMs) ?? '—'} s; ${round(r.linkUpBytes / Math.max(1, r.seeded))} B up/change, ${round(r.linkDownBytes / Math.max(1, r.seeded))} B down/change${r.seeded < r.requested ? `; seeding capped: ${r.seeded} of ${r.requested}` : ''}`,
          },
        ],
        details: { ...r, oneWayMs: ONE_WAY_MS, bytesPerSec: BYTES_PER_SEC, utilisation },
      };
    } finally {
      await fleet.stop();
    }
  },
};
