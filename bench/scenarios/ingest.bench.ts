import { BenchFleet } from '../lib/bench-fleet';
import { fleetMemory } from '../lib/fleet-memory';
import {
  CpuMeter,
  describeCpu,
  drive,
  log,
  pidsNamed,
  round,
  sleep,
  smallData,
} from '../lib/measure';
import { BenchApi, type BulkWrite } from '../lib/node-api';
import { rawProduceConsume } from '../lib/raw-kafka';
import type { BenchContext, Scenario, ScenarioResult } from '../lib/scenario';

const TITLE = '1 ingest throughput';

/**
 * Sustained ingest measured on a running fleet: `ships` ships take small writes through their
 * content API, `concurrency` requests in flight each, `perRequest` writes per request (a bulk
 * request; 1 = the single-document routes), for warm-up + `seconds`; the figure is changes
 * committed on the master per second over the measured window (every 5 s sampled, so the slowest
 * slice shows whether the rate held). `editPercent` of the writes edit a shared pool of documents
 * every ship holds (scenario 7); the rest create new documents. A `fleet` from an earlier
 * measurement is reused (it must be idle).
 */
export async function measureIngest(
  context: BenchContext,
  {
    editPercent,
    pool,
    seconds,
    perRequest,
    concurrency,
    fleet: reused,
  }: {
    editPercent: number;
    pool: number;
    seconds: number;
    perRequest: number;
    concurrency: number;
    fleet?: BenchFleet;
  },
): Promise<{
  fleet: BenchFleet;
  perSec: number;
  slowestSlicePerSec: number;
  writesPerSec: number;
  writeErrors: number;
  firstError?: string;
  drainMs: number | null;
  conflicts: number;
  /** Share of one core each process used during the measured window, in percent. */
  cpuPercent: Record<string, number>;
}> {
  const { ingestShips, warmupSeconds } = context.sizes;
  const ships = Array.from({ length: ingestShips }, (_, i) => `ship-${i + 1}`);
  const fleet = reused ?? (await BenchFleet.start({ ships }));
  const apis = ships.map((s) => new BenchApi(fleet.ships[s]));
  const shared: string[] = [];
  if (editPercent > 0) {
    const master = new BenchApi(fleet.master);
    await drive(async (i) => shared.push((await master.create(smallData(i, 'shared'))).id), {
      concurrency: 8,
      count: pool,
    });
    // Every ship must hold the shared documents before it edits them.
    for (const api of apis) {
      while ((await api.count()) < pool) await sleep(500);
    }
  }
  const before = await fleet.committed();
  const stopAt = Date.now() + (warmupSeconds + seconds) * 1000;
  let written = 0;
  let accepted = 0;
  // Every ship's k-th edit goes to the same shared document, at about the same moment: the
  // edits are concurrent (neither ship has seen the other's when it writes).
  const editsMade = apis.map(() => 0);
  const writeOf = (n: number, s: number): BulkWrite => {
    if (editPercent > 0 && (n * 7919 + s) % 100 < editPercent) {
      const k = editsMade[s]++;
      return {
        op: 'update',
        type: 'item',
        id: shared[k % shared.length],
        data: { note: `s${s}-${n}` },
      };
    }
    return { op: 'create', type: 'item', data: smallData(n, `s${s}`) };
  };
  const writers = apis.map((api, s) =>
    drive(
      async (i) => {
        if (perRequest === 1) {
          const write = writeOf(i, s);
          if (write.op === 'update') await api.update(write.id, write.data);
          else if (write.op === 'create') await api.create(write.data);
        } else {
          await api.bulk(
            Array.from({ length: perRequest }, (_, k) => writeOf(i * perRequest + k, s)),
          );
        }
        written += perRequest;
        accepted += perRequest;
      },
      { concurrency, stopAt },
    ),
  );
  await sleep(warmupSeconds * 1000);
  // The load generator (this process) and PostgreSQL share the two cores with the fleet.
  const cpu = CpuMeter.start({
    master: fleet.master.pid,
    postgres: pidsNamed('postgres'),
    kafka: fleet.kafka.broker.pid,
    ...Object.fromEntries(ships.map((s) => [s, fleet.ships[s].pid])),
    'load generator': process.pid,
  });
  const windowStart = Date.now();
  const startCommitted = await fleet.committed();
  const writtenAtStart = written;
  const slices: number[] = [];
  let last = startCommitted;
  let lastAt = windowStart;
  while (Date.now() < stopAt - 1000) {
    await sleep(Math.min(5000, stopAt - Date.now() - 500));
    const now = await fleet.committed();
    slices.push(((now - last) * 1000) / (Date.now() - lastAt));
    last = now;
    lastAt = Date.now();
  }
  const windowMs = Date.now() - windowStart;
  const cpuPercent = cpu.percent();
  const endCommitted = await fleet.committed();
  const writtenInWindow = written - writtenAtStart;
  const results = await Promise.all(writers);
  const total = accepted;
  const drainStart = Date.now();
  // How long until every accepted write is sent and answered (what queued up). Not a count of
  // commits: edits of a document still queued fold into one change (scenario 7).
  let drainMs: number | null = null;
  while (Date.now() - drainStart < context.sizes.waitLimitSeconds * 1000) {
    const settled = await Promise.all(apis.map((api) => api.settled().catch(() => false)));
    if (settled.every(Boolean)) {
      drainMs = Date.now() - drainStart;
      break;
    }
    await sleep(500);
  }
  const conflicts = (
    await fleet.query<{ n: number }>('SELECT count(*)::int AS n FROM conflicts')
  )[0].n;
  log(`  writes accepted ${total}, committed ${(await fleet.committed()) - before}`);
  return {
    fleet,
    perSec: ((endCommitted - startCommitted) * 1000) / windowMs,
    slowestSlicePerSec: slices.length ? Math.min(...slices) : NaN,
    writesPerSec: (writtenInWindow * 1000) / windowMs,
    writeErrors: results.reduce((n, r) => n + r.errors, 0),
    firstError: results.find((r) => r.firstError)?.firstError,
    drainMs,
    conflicts,
    cpuPercent,
  };
}

export const ingest: Scenario = {
  name: 'ingest',
  title: TITLE,
  async run(context): Promise<ScenarioResult> {
    const { ingestConcurrency, ingestBulk, ingestSeconds, ingestSingleSeconds } = context.sizes;
    // Single-document requests first (a short window), then bulk requests on the same fleet.
    const single = await measureIngest(context, {
      editPercent: 0,
      pool: 0,
      seconds: ingestSingleSeconds,
      perRequest: 1,
      concurrency: 16,
    });
    const m = await measureIngest(context, {
      editPercent: 0,
      pool: 0,
      seconds: ingestSeconds,
      perRequest: ingestBulk,
      concurrency: ingestConcurrency,
      fleet: single.fleet,
    });
    try {
      const memory = fleetMemory(m.fleet);
      log(`  raw kafkajs baseline on the same broker (${context.sizes.rawMessages} messages) ...`);
      const raw = await rawProduceConsume(m.fleet.kafka.broker.brokers, {
        messages: context.sizes.rawMessages,
        batchSize: 100,
        partitions: 6,
      });
      const { ingestShips } = context.sizes;
      const setup = `${ingestShips} ships × ${ingestConcurrency} bulk requests of ${ingestBulk} in flight, ${ingestSeconds} s`;
      return {
        rows: [
          {
            scenario: TITLE,
            metric: 'changes committed on master',
            value: round(m.perSec),
            unit: '/s',
            target: '≥ 5000',
            note: `${setup}; slowest 5 s slice ${Math.round(m.slowestSlicePerSec)}/s`,
          },
          {
            scenario: TITLE,
            metric: 'writes accepted by ship APIs',
            value: round(m.writesPerSec),
            unit: '/s',
            note:
              (m.writeErrors > 0
                ? `${m.writeErrors} errors: ${m.firstError?.slice(0, 80)}; `
                : 'all ships together; ') + `CPU % of a core: ${describeCpu(m.cpuPercent)}`,
          },
          {
            scenario: TITLE,
            metric: 'changes committed on master, single-document requests',
            value: round(single.perSec),
            unit: '/s',
            note: `${ingestShips} ships × 16 requests in flight, ${ingestSingleSeconds} s; writes accepted ${round(single.writesPerSec)}/s; CPU % of a core: ${describeCpu(single.cpuPercent)}`,
          },
          {
            scenario: TITLE,
            metric: 'raw kafkajs produce→consume (same broker, same payload)',
            value: round(raw.perSec),
            unit: 'msg/s',
            note: `${raw.payloadBytes} B per message, sends of 100, gzip, acks=all`,
          },
          {
            scenario: TITLE,
            metric: 'ours / raw',
            value: round(m.perSec / raw.perSec, 3),
            unit: '',
            target: '≥ 0.3',
          },
        ],
        memory,
        details: { ...m, fleet: undefined, raw, single: { ...single, fleet: undefined } },
      };
    } finally {
      await m.fleet.stop();
    }
  },
};
