import { BenchFleet } from '../lib/bench-fleet';
import { RECONNECT_ENV } from '../lib/catch-up';
import { drive, log, round, sizedData, sleep, until } from '../lib/measure';
import { BenchApi } from '../lib/node-api';
import type { Row, Scenario, ScenarioResult } from '../lib/scenario';

const TITLE = '5 bytes on the wire';
const BATCH_SIZES = [1, 10, 100];
const COMPRESSIONS = ['gzip', 'none'] as const;

interface Measured {
  ship: string;
  batchSize: number;
  compression: string;
  edits: number;
  upPerEdit: number;
  downPerEdit: number;
}

/**
 * One-field edits of 2 KB documents, counted through the ship's link proxy: one ship per
 * (SYNC_BATCH_SIZE, KAFKA_COMPRESSION), started one at a time. Each creates its documents online,
 * then its link is cut, one field of each is edited (so every edit is a change of its own: no two
 * touch one document), the counters are reset and the link restored; the bytes until every
 * outcome is back are divided by the number of edits. "Up" is ship → shore (the edits); "down"
 * also holds the outcomes and the master's broadcast of each accepted edit (the whole document,
 * which the editing ship receives too).
 */
export const wireBytes: Scenario = {
  name: 'wire-bytes',
  title: TITLE,
  async run(context): Promise<ScenarioResult> {
    const edits = context.sizes.wireEdits;
    const variants = COMPRESSIONS.flatMap((compression) =>
      BATCH_SIZES.map((batchSize) => ({
        ship: `wire-${compression}-${batchSize}`,
        compression,
        batchSize,
      })),
    );
    const fleet = await BenchFleet.start({
      ships: [],
      lateShips: variants.map((v) => v.ship),
      env: { ...RECONNECT_ENV, SYNC_HEARTBEAT_INTERVAL: '60000' },
      shipEnv: Object.fromEntries(
        variants.map((v) => [
          v.ship,
          { SYNC_BATCH_SIZE: String(v.batchSize), KAFKA_COMPRESSION: v.compression },
        ]),
      ),
    });
    const results: Measured[] = [];
    try {
      for (const v of variants) {
        const node = await fleet.startShip(v.ship);
        const api = new BenchApi(node);
        const ids: string[] = [];
        await drive(async (i) => ids.push((await api.create(sizedData(i, 2048))).id), {
          concurrency: 8,
          count: edits,
        });
        await until(() => api.settled(), { limitMs: context.sizes.waitLimitSeconds * 1000 });
        // Let the master's broadcast of the creates arrive before counting.
        await sleep(2000);
        const link = fleet.link(v.ship);
        link.cut();
        await drive((i) => api.update(ids[i], { status: `edited ${i}` }), {
          concurrency: 8,
          count: ids.length,
        });
        link.resetStats();
        link.restore();
        await until(() => api.settled(), { limitMs: context.sizes.waitLimitSeconds * 1000 });
        await sleep(2000);
        const stats = link.stats();
        const m: Measured = {
          ...v,
          edits: ids.length,
          upPerEdit: round(stats.up / ids.length),
          downPerEdit: round(stats.down / ids.length),
        };
        log(`  ${v.ship}: ${m.upPerEdit} B up, ${m.downPerEdit} B down per edit`);
        results.push(m);
        await node.stop();
      }
      const rows: Row[] = results.map((m) => ({
        scenario: TITLE,
        metric: `one-field edit of a 2 KB document, batch ${m.batchSize}, ${m.compression}`,
        value: m.upPerEdit,
        unit: 'B up/edit',
        target: m.batchSize === 100 && m.compression === 'gzip' ? '≤ 300' : undefined,
        note: `${m.downPerEdit} B down/edit (outcome + the master's broadcast of the whole document); ${m.edits} edits`,
      }));
      return { rows, details: { results } };
    } finally {
      await fleet.stop();
    }
  },
};
