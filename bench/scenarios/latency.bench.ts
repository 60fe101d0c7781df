import { BenchFleet } from '../lib/bench-fleet';
import { log, percentile, round, sleep, smallData } from '../lib/measure';
import { BenchApi } from '../lib/node-api';
import type { Row, Scenario, ScenarioResult } from '../lib/scenario';
import { ShipDbReader } from '../lib/ship-db-reader';
import { errorMessage } from '@offline-sync/sync-core';

const TITLE = '4 latency';
const POLL_MS = 20;
/**
 * A write is flushed after SYNC_DEBOUNCE_MS (SPEC default 1000 ms, meant for bursts on a slow
 * link); a ship on a fast link would set it to about 100 ms. The same load is measured once more
 * with 20 ms: each relay pass (claim, seal, send) and what it brings back (outcomes, the master's
 * broadcast) costs the ship about the same however few changes it carries, so a shorter debounce
 * buys a lower delay at low rates with more CPU per change at high ones.
 */
export const LATENCY_ENV = { SYNC_DEBOUNCE_MS: '100', SYNC_OUTBOX_POLL_INTERVAL: '100' };
const SHORT_DEBOUNCE_ENV = { ...LATENCY_ENV, SYNC_DEBOUNCE_MS: '20' };
/** A rate every part keeps up with, to tell the pipeline's own delay from queueing at 200/s. */
const LOW_RATE = 20;

interface Sample {
  writtenAt: number;
  masterAt?: number;
  otherAt?: number;
}

export interface Measured {
  rate: number;
  debounceMs: string;
  offeredPerSec: number;
  measured: number;
  errors: number;
  firstError?: string;
  missing: number;
  toMaster: number[];
  toOther: number[];
  api: number[];
}

/**
 * An open-loop load of `rate` creates per second on ship-a (each scheduled on time whatever the
 * previous one did; reached by a ramp over the warm-up); every document is looked for every 20 ms on the master (its database) and
 * on ship-b (its SQLite file, read-only) until both have it.
 */
export async function measureAt(
  fleet: BenchFleet,
  reader: ShipDbReader,
  { rate, seconds, warmupSeconds }: { rate: number; seconds: number; warmupSeconds: number },
  debounceMs: string,
): Promise<Measured> {
  const writer = new BenchApi(fleet.ships['ship-a']);
  const samples = new Map<string, Sample>();
  const apiMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
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
  const schedule = rampedSchedule(rate, seconds, warmupSeconds);
  const total = schedule.length;
  const warmup = schedule.findIndex((at) => at >= warmupSeconds * 1000);
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  const measured = new Set<string>();
  for (let i = 0; i < total; i += 1) {
    const due = started + schedule[i];
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
        } catch (error) {
          errors += 1;
          firstError ??= errorMessage(error);
        }
      })(),
    );
  }
  const offeredPerSec = ((total - warmup) * 1000) / (Date.now() - started - schedule[warmup]);
  await Promise.all(inFlight);
  const deadline = Date.now() + 90_000;
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
  const sort = (values: number[]): number[] => values.sort((a, b) => a - b);
  log(
    `  ${rate}/s, SYNC_DEBOUNCE_MS=${debounceMs}: offered ${round(offeredPerSec)}/s, ` +
      `${measured.size} measured, ${errors} errors`,
  );
  return {
    rate,
    debounceMs,
    offeredPerSec,
    measured: measured.size,
    errors,
    firstError,
    missing,
    toMaster: sort(toMaster),
    toOther: sort(toOther),
    api: sort(apiMs),
  };
}

/**
 * When each write is due, in ms from the start: the rate climbs from LOW_RATE to `rate` over the
 * warm-up (as load reaches a ship in service, and so the code is compiled before it is measured),
 * then holds `rate` for `seconds`. Only writes of the steady part are measured.
 */
export function rampedSchedule(rate: number, seconds: number, warmupSeconds: number): number[] {
  const warmupMs = warmupSeconds * 1000;
  const endMs = warmupMs + seconds * 1000;
  const due: number[] = [];
  for (let at = 0; at < endMs;) {
    due.push(at);
    const current = at < warmupMs ? LOW_RATE + ((rate - LOW_RATE) * at) / warmupMs : rate;
    at += 1000 / Math.max(current, LOW_RATE);
  }
  return due;
}

/** Runs `measure` on a fleet of two ships started with `env`, then stops it. */
export async function withFleet<T>(
  env: Record<string, string>,
  measure: (fleet: BenchFleet, reader: ShipDbReader) => Promise<T>,
): Promise<T> {
  const fleet = await BenchFleet.start({ ships: ['ship-a', 'ship-b'], env });
  const reader = await ShipDbReader.open(fleet.shipDbFile('ship-b'));
  try {
    return await measure(fleet, reader);
  } finally {
    await reader.close();
    await fleet.stop();
  }
}

export const latency: Scenario = {
  name: 'latency',
  title: TITLE,
  async run(context): Promise<ScenarioResult> {
    const { latencyRate, latencySeconds, warmupSeconds } = context.sizes;
    const highLoad = { rate: latencyRate, seconds: latencySeconds, warmupSeconds };
    const lowLoad = {
      rate: LOW_RATE,
      seconds: Math.max(10, Math.round(latencySeconds / 2)),
      warmupSeconds,
    };
    const debounce = LATENCY_ENV.SYNC_DEBOUNCE_MS;
    const { high, low } = await withFleet(LATENCY_ENV, async (fleet, reader) => ({
      high: await measureAt(fleet, reader, highLoad, debounce),
      low: await measureAt(fleet, reader, lowLoad, debounce),
    }));
    const short = await withFleet(SHORT_DEBOUNCE_ENV, (fleet, reader) =>
      measureAt(fleet, reader, highLoad, SHORT_DEBOUNCE_ENV.SYNC_DEBOUNCE_MS),
    );
    const row = (
      m: Measured,
      metric: string,
      values: number[],
      p: number,
      target?: string,
    ): Row => ({
      scenario: TITLE,
      metric:
        m.debounceMs === debounce
          ? `${metric} at ${m.rate}/s, p${p}`
          : `${metric} at ${m.rate}/s, SYNC_DEBOUNCE_MS=${m.debounceMs}, p${p}`,
      value: round(percentile(values, p)),
      unit: 'ms',
      target,
    });
    const note = (m: Measured): string =>
      `${round(m.offeredPerSec)} writes/s offered, ${m.measured} measured, ${m.errors} errors` +
      `${m.firstError ? ` (${m.firstError.slice(0, 80)})` : ''}, ${m.missing} never arrived; ` +
      `ship API write p99 ${round(percentile(m.api, 99))} ms; SYNC_DEBOUNCE_MS=${m.debounceMs}`;
    const rows: Row[] = [
      { ...row(high, 'write → other ship applied', high.toOther, 99, '< 500'), note: note(high) },
      row(high, 'write → other ship applied', high.toOther, 95),
      row(high, 'write → other ship applied', high.toOther, 50),
      row(high, 'write → master commit', high.toMaster, 99),
      row(high, 'write → master commit', high.toMaster, 50),
      { ...row(low, 'write → other ship applied', low.toOther, 99), note: note(low) },
      row(low, 'write → other ship applied', low.toOther, 50),
      row(low, 'write → master commit', low.toMaster, 50),
      { ...row(short, 'write → other ship applied', short.toOther, 99), note: note(short) },
      row(short, 'write → other ship applied', short.toOther, 50),
    ];
    const summary = (m: Measured) => ({
      ...m,
      toMaster: [50, 95, 99].map((p) => percentile(m.toMaster, p)),
      toOther: [50, 95, 99].map((p) => percentile(m.toOther, p)),
      api: [50, 95, 99].map((p) => percentile(m.api, p)),
    });
    return {
      rows,
      details: {
        env: LATENCY_ENV,
        shortDebounceEnv: SHORT_DEBOUNCE_ENV,
        pollMs: POLL_MS,
        high: summary(high),
        low: summary(low),
        shortDebounce: summary(short),
      },
    };
  },
};
