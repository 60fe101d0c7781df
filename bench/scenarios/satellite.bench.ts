import { BenchFleet } from '../lib/bench-fleet';
import { backlogCatchUp, RECONNECT_ENV } from '../lib/catch-up';
import { round } from '../lib/measure';
import type { Scenario, ScenarioResult } from '../lib/scenario';

const TITLE = '6 satellite link';
const ONE_WAY_MS = 300;
const BYTES_PER_SEC = 2_000_000 / 8;

/**
 * The backlog of scenario 2 sent over a shaped link (600 ms round trip, 2 Mbit/s each way). The
 * utilisation is the bytes that crossed towards shore while the ship sent its backlog (restore →
 * the broker acknowledged the last change), over what the link could carry in that time; the
 * same bytes over the time until the master committed the last change are in the note.
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
      const s = (ms: number | null): number | null => (ms === null ? null : round(ms / 1000, 1));
      // While the ship sends its backlog: from the restore until the broker has acknowledged the
      // last change. The master's commits follow at its own pace (the second row).
      const sendingUtilisation =
        r.sentMs === null ? null : (r.sentUpBytes / (BYTES_PER_SEC * (r.sentMs / 1000))) * 100;
      const untilCommitted =
        r.committedMs === null
          ? null
          : (r.linkUpBytes / (BYTES_PER_SEC * (r.committedMs / 1000))) * 100;
      return {
        rows: [
          {
            scenario: TITLE,
            metric: 'link utilisation towards shore while sending the backlog',
            value: sendingUtilisation === null ? null : round(sendingUtilisation),
            unit: '%',
            target: '≥ 50',
            note: `${round(r.sentUpBytes / 1024)} KiB up in ${s(r.sentMs) ?? '—'} s (2 Mbit/s, 600 ms RTT), restore → last change acknowledged by the broker; ${untilCommitted === null ? '' : `${round(untilCommitted)}% until the master committed the last`}`,
          },
          {
            scenario: TITLE,
            metric: `${r.seeded.toLocaleString('en-US')} changes committed, outcomes back`,
            value: s(r.outcomesBackMs),
            unit: 's',
            note: `all sent at ${s(r.sentMs) ?? '—'} s, committed at ${s(r.committedMs) ?? '—'} s; first at ${s(r.firstCommitMs) ?? '—'} s; ${round(r.linkUpBytes / Math.max(1, r.seeded))} B up/change, ${round(r.linkDownBytes / Math.max(1, r.seeded))} B down/change${r.seeded < r.requested ? `; seeding capped: ${r.seeded} of ${r.requested}` : ''}`,
          },
        ],
        details: {
          ...r,
          oneWayMs: ONE_WAY_MS,
          bytesPerSec: BYTES_PER_SEC,
          sendingUtilisation,
          untilCommitted,
        },
      };
    } finally {
      await fleet.stop();
    }
  },
};
