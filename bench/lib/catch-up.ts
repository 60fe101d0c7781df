import type { BenchFleet } from './bench-fleet';
import { CpuMeter, pidsNamed, round, until } from './measure';
import { BenchApi } from './node-api';
import { seedDocuments } from './seed';

/** Ships start with quick reconnect detection: the figure is the catch-up, not the probe period. */
export const RECONNECT_ENV = {
  SYNC_CONNECTIVITY_CHECK_INTERVAL: '2000',
  SYNC_RETRY_DELAY: '1000',
};

export interface CatchUp {
  /** Changes written while the link was down (fewer than asked when seeding hit its time cap). */
  seeded: number;
  requested: number;
  seedMs: number;
  seedPerSec: number;
  /** From the link's restore to the first change committed on the master. */
  firstCommitMs: number | null;
  /** From the restore to the last change committed on the master. */
  committedMs: number | null;
  /** From the restore until every outcome is back on the ship (nothing pending or awaited). */
  outcomesBackMs: number | null;
  /** From the restore until the broker acknowledged the last change (nothing left to send). */
  sentMs: number | null;
  /** Bytes towards shore through the link until then. */
  sentUpBytes: number;
  linkUpBytes: number;
  linkDownBytes: number;
  /** Share of one core each process used from the restore to the last commit, in percent. */
  cpuPercent: Record<string, number>;
}

/**
 * A ship with `count` pending changes reconnects: its link is cut, the changes are written through
 * its API, the link is restored (shaped first if asked), and the catch-up is timed.
 */
export async function backlogCatchUp(
  fleet: BenchFleet,
  ship: string,
  {
    count,
    concurrency,
    perRequest,
    limitMs,
    seedSeconds,
  }: {
    count: number;
    concurrency: number;
    perRequest: number;
    limitMs: number;
    seedSeconds: number;
  },
  beforeRestore: () => void = () => undefined,
): Promise<CatchUp> {
  const api = new BenchApi(fleet.ships[ship]);
  const link = fleet.link(ship);
  const committedBefore = await fleet.committed(ship);
  link.cut();
  const seed = await seedDocuments(api, count, { concurrency, perRequest }, ship, seedSeconds);
  const seeded = seed.written;
  beforeRestore();
  link.resetStats();
  const cpu = CpuMeter.start({
    master: fleet.master.pid,
    postgres: pidsNamed('postgres'),
    ship: fleet.ships[ship].pid,
    kafka: fleet.kafka.broker.pid,
  });
  const restoredAt = Date.now();
  link.restore();
  let sentUpBytes = 0;
  // Four status calls a second: each counts the ship's whole queue, and faster polling took a
  // noticeable share of the ship's database time away from the catch-up it measures.
  const sending = until(
    async () => {
      if ((await api.status()).pending > 0) return false;
      sentUpBytes = link.stats().up;
      return true;
    },
    { limitMs, intervalMs: 250 },
  );
  const progress = async (): Promise<string> =>
    `${(await fleet.committed(ship)) - committedBefore}/${seeded} committed, link ${JSON.stringify(link.stats())}`;
  const firstCommitMs = await until(async () => (await fleet.committed(ship)) > committedBefore, {
    limitMs,
    intervalMs: 100,
  });
  const committed = await until(
    async () => (await fleet.committed(ship)) - committedBefore >= seeded,
    { limitMs: Math.max(0, limitMs - (Date.now() - restoredAt)), intervalMs: 200, progress },
  );
  const committedMs = committed === null ? null : Date.now() - restoredAt;
  const cpuPercent = cpu.percent();
  const back = await until(() => api.settled(), {
    limitMs: Math.max(0, limitMs - (Date.now() - restoredAt)),
    intervalMs: 200,
  });
  const outcomesBackMs = back === null ? null : Date.now() - restoredAt;
  const sentMs = await sending;
  const stats = link.stats();
  return {
    seeded,
    requested: count,
    seedMs: seed.ms,
    seedPerSec: round(seed.perSec),
    firstCommitMs,
    committedMs,
    outcomesBackMs,
    sentMs,
    sentUpBytes,
    linkUpBytes: stats.up,
    linkDownBytes: stats.down,
    cpuPercent,
  };
}
