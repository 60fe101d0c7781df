import { BenchFleet } from '../lib/bench-fleet';
import { log, percentile, round, sleep, smallData } from '../lib/measure';
import { BenchApi } from '../lib/node-api';
import type { Row, Scenario, ScenarioResult } from '../lib/scenario';
import { ShipDbReader } from '../lib/ship-db-reader';

const TITLE = '4 latency';
const POLL_MS = 20;
/** A write is flushed after this debounce (SPEC default 1000 ms, meant for bursts on a slow link). */
const LATENCY_ENV = { SYNC_DEBOUNCE_MS: '20', SYNC_OUTBOX_POLL_INTERVAL: '100' };

interface Sample {
  writtenAt: number;
  masterAt?: number;
  otherAt?: number;
}

/**
 * A steady open-loop load (`latencyRate` creates per second on ship-a, each scheduled on time
 * whatever the previous one did); every document is looked for every 20 ms on the master (its
 * database) and on ship-b (its SQLite file, read-only) until both have it.
 */
export const latency: Scenario = {
  name: 'latency',
  title: TITLE,
  async run(context): Promise<ScenarioResult> {
    const { latencyRate, latencySeconds, warmupSeconds } = context.sizes;
    const fleet = await BenchFleet.start({ ships: ['ship-a', 'ship-b'], env: LATENCY_ENV });
    const reader = await ShipDbReader.open(fleet.shipDbFile('ship-b'));
    try {
      const writer = new BenchApi(fleet.ships['ship-a']);
      const samples = new Map<string, Sample>();
      const apiMs: number[] = [];
      let errors = 0;
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const waitingMaster = [...samples].filter(([, s]) => !s.masterAt).map(([id]) => id);
          const waitingOther = [...samples].filter(([, s]) => !s.otherAt).map(([id]) => id);
          const [onMaster, onOther] = await Promise.all([
            waitingMaster.length
              ? fleet.query<{ id: string }>(
                  'SELECT id::text AS id FROM documents WHERE id = ANY($1::uuid[])',
                  [waitingMaster],
                )
              : Promise.resolve([]),
            reader.present(waitingOther.slice(0, 900)),
          ]);
          const now = Date.now();
          for (const { id } of onMaster) samples.get(id)!.masterAt ??= now;
          for (const id of onOther) samples.get(id)!.otherAt ??= now;
          await sleep(POLL_MS);
        }
      })();
      const intervalMs = 1000 / latencyRate;
      const total = Math.round(latencyRate * (latencySeconds + warmupSeconds));
      const warmup = Math.round(latencyRate * warmupSeconds);
      const started = Date.now();
      const inFlight: Promise<void>[] = [];
      const measured = new Set<string>();
      for (let i = 0; i < total; i += 1) {
        const due = started + i * intervalMs;
        if (due > Date.now()) await sleep(due - Date.now());
        inFlight.push(
          (async () => {
            const t0 = Date.now();
            try {
              const doc = await writer.create(smallData(i, 'latency'));
              const writtenAt = Date.now();
              apiMs.push(writtenAt - t0);
              samples.set(doc.id, { writtenAt });
              if (i >= warmup) measured.add(doc.id);
            } catch {
              errors += 1;
            }
          })(),
        );
      }
      const offeredPerSec = (total * 1000) / (Date.now() - started);
      await Promise.all(inFlight);
      const deadline = Date.now() + 60_000;
      while (
        Date.now() < deadline &&
        [...measured].some((id) => !samples.get(id)?.otherAt || !samples.get(id)?.masterAt)
      ) {
        await sleep(100);
      }
      polling = false;
      await poller;
      const toMaster: number[] = [];
      const toOther: number[] = [];
      let missing = 0;
      for (const id of measured) {
        const s = samples.get(id)!;
        if (s.masterAt) toMaster.push(s.masterAt - s.writtenAt);
        if (s.otherAt) toOther.push(s.otherAt - s.writtenAt);
        else missing += 1;
      }
      toMaster.sort((a, b) => a - b);
      toOther.sort((a, b) => a - b);
      apiMs.sort((a, b) => a - b);
      log(`  offered ${round(offeredPerSec)}/s, ${measured.size} measured, ${errors} errors`);
      const row = (metric: string, values: number[], p: number, target?: string): Row => ({
        scenario: TITLE,
        metric,
        value: round(percentile(values, p)),
        unit: 'ms',
        target,
      });
      const note = `${round(offeredPerSec)} writes/s offered, ${measured.size} measured; SYNC_DEBOUNCE_MS=${LATENCY_ENV.SYNC_DEBOUNCE_MS}`;
      const rows: Row[] = [
        { ...row('write → other ship applied, p99', toOther, 99, '< 500'), note },
        row('write → other ship applied, p95', toOther, 95),
        row('write → other ship applied, p50', toOther, 50),
        row('write → master commit, p99', toMaster, 99),
        row('write → master commit, p50', toMaster, 50),
        {
          ...row('ship API write, p99', apiMs, 99),
          note: `${errors} errors, ${missing} never arrived`,
        },
      ];
      return {
        rows,
        details: {
          env: LATENCY_ENV,
          pollMs: POLL_MS,
          offeredPerSec,
          measured: measured.size,
          errors,
          missing,
          toMaster: [50, 95, 99].map((p) => percentile(toMaster, p)),
          toOther: [50, 95, 99].map((p) => percentile(toOther, p)),
        },
      };
    } finally {
      await reader.close();
      await fleet.stop();
    }
  },
};
