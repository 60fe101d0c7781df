import { BenchFleet } from '../lib/bench-fleet';
import { RECONNECT_ENV } from '../lib/catch-up';
import { fleetMemory } from '../lib/fleet-memory';
import { cpuMsOf, log, round, until } from '../lib/measure';
import { BenchApi } from '../lib/node-api';
import type { MemoryPeak, Scenario, ScenarioResult } from '../lib/scenario';
import { sendShipChanges } from '../lib/envelope-seeder';

const TITLE = '3 fan-out and bootstrap';
const SEEDER = 'ship-seeder';

/**
 * `documents` committed on the master while an online ship's link is down (so they reach it as
 * one burst when it comes back), then a brand-new ship starts and bootstraps all of them.
 */
export const fanout: Scenario = {
  name: 'fanout',
  title: TITLE,
  async run(context): Promise<ScenarioResult> {
    const { documents, waitLimitSeconds } = context.sizes;
    const fleet = await BenchFleet.start({
      ships: ['ship-online'],
      lateShips: ['ship-new'],
      virtualShips: [SEEDER],
      env: RECONNECT_ENV,
    });
    try {
      const online = new BenchApi(fleet.ships['ship-online']);
      fleet.link('ship-online').cut();
      // The ship API takes far fewer writes per second than the master ingests: the documents
      // come as signed envelopes from a provisioned ship, straight to Kafka.
      const seedStart = Date.now();
      await sendShipChanges(fleet, SEEDER, { count: documents });
      const ingestMs = await until(async () => (await fleet.committed(SEEDER)) >= documents, {
        limitMs: waitLimitSeconds * 1000,
        intervalMs: 200,
        progress: async () => `${await fleet.committed(SEEDER)}/${documents} committed on master`,
      });
      const seedMs = Date.now() - seedStart;
      const total = await fleet.committed(SEEDER);
      log(`  master holds ${total} documents after ${seedMs} ms; waiting for its outbox ...`);
      const outboxMs = await until(
        async () =>
          (
            await fleet.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'",
            )
          )[0].n === 0,
        { limitMs: waitLimitSeconds * 1000, intervalMs: 200 },
      );
      const onlinePid = fleet.ships['ship-online'].pid;
      const cpuBeforeMs = cpuMsOf(onlinePid);
      fleet.link('ship-online').restore();
      const burstMs = await until(async () => (await online.count()) >= total, {
        limitMs: waitLimitSeconds * 1000,
        intervalMs: 200,
        progress: async () => `${await online.count()}/${total} applied on ship-online`,
      });
      // What each document cost the ship (all its threads), steadier than the time on a busy host.
      const burstShipCpuUsPerDocument = round(
        ((cpuMsOf(onlinePid) - cpuBeforeMs) * 1000) / Math.max(1, total),
      );
      const memory: MemoryPeak[] = fleetMemory(fleet);
      log('  starting a brand-new ship ...');
      const startedAt = Date.now();
      const fresh = new BenchApi(await fleet.startShip('ship-new'));
      const startMs = Date.now() - startedAt;
      const bootstrapMs = await until(async () => (await fresh.count()) >= total, {
        limitMs: waitLimitSeconds * 1000,
        intervalMs: 200,
        progress: async () => `${await fresh.count()}/${total} on ship-new`,
      });
      const bootstrapTotalMs = bootstrapMs === null ? null : bootstrapMs + startMs;
      memory.push(...fleetMemory(fleet).filter((m) => m.node === 'ship-new'));
      const master_ = memory.find((m) => m.role === 'master');
      const masterNow = fleetMemory(fleet).find((m) => m.role === 'master');
      if (master_ && masterNow) master_.peakMb = Math.max(master_.peakMb, masterNow.peakMb);
      const down = fleet.link('ship-new').stats().down;
      const s = (ms: number | null): number | null => (ms === null ? null : round(ms / 1000, 1));
      const n = total.toLocaleString('en-US');
      return {
        rows: [
          {
            scenario: TITLE,
            metric: `online ship applies a burst of ${n} master documents`,
            value: s(burstMs),
            unit: 's',
            note:
              burstMs === null
                ? ''
                : `${Math.round((total * 1000) / burstMs)} documents/s; ship CPU ${burstShipCpuUsPerDocument} µs per document`,
          },
          {
            scenario: TITLE,
            metric: `brand-new ship bootstraps ${n} documents`,
            value: s(bootstrapTotalMs),
            unit: 's',
            target: '< 60',
            note: `process start ${s(startMs)} s included; ${round(down / Math.max(1, total))} B/document down the link`,
          },
          {
            scenario: TITLE,
            metric: 'master ingest of signed envelopes sent straight to Kafka',
            value: ingestMs === null ? null : round((total * 1000) / seedMs),
            unit: 'changes/s',
            note: `the master side alone (no ship API): envelopes of 100 creates; its outbox drained ${s(outboxMs) ?? '—'} s after`,
          },
        ],
        memory,
        details: {
          total,
          seedMs,
          ingestMs,
          outboxMs,
          burstMs,
          burstShipCpuUsPerDocument,
          startMs,
          bootstrapMs,
          bootstrapDownBytes: down,
        },
      };
    } finally {
      await fleet.stop();
    }
  },
};
