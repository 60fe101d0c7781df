import type { INestApplication } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import {
  createKafka,
  createTestDatabase,
  dropTestDatabase,
  waitFor,
} from '../../../test/harness/test-infra';
import { createMasterApp } from '../src/master.app';
import { createFleet, createShips, newDocumentId, type TestShip } from './master-test-kit';

const SHIPS = Array.from({ length: 10 }, (_, i) => `ship-${i + 1}`);
const ENVELOPES_PER_SHIP = 20;
const CHANGES_PER_ENVELOPE = 100; // SYNC_BATCH_SIZE

/**
 * Prints the master's ingest rate for a backlog of one-field edits and creates (never passes or
 * fails on time: the figure is for reading, next to notes/limits.md's raw PostgreSQL floor).
 */
describe('master ingest throughput (figures only)', () => {
  let databaseUrl: string;
  let app: INestApplication | null = null;
  let producer: Producer;
  let db: Client;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_throughput');
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    await db?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('applies a backlog of ship changes in set-based batches', async () => {
    const fleet = createFleet(databaseUrl, SHIPS, { KAFKA_SHIP_UPDATES_PARTITIONS: '6' });
    producer = createKafka('throughput').producer({ idempotent: true });
    await producer.connect();
    const byId = createShips(fleet, producer);
    // Topics exist before the backlog is written: start once, stop, write, start again.
    app = await createMasterApp(fleet.config);
    await app.init();
    await app.close();
    app = null;

    let total = 0;
    for (const shipId of SHIPS) {
      const ship = byId.get(shipId) as TestShip;
      const envelopes = [];
      for (let e = 0; e < ENVELOPES_PER_SHIP; e += 1) {
        const changes = [];
        for (let d = 0; d < CHANGES_PER_ENVELOPE / 2; d += 1) {
          const id = newDocumentId();
          changes.push(
            ship.change({
              op: 'create',
              documentId: id,
              fields: { title: 't', body: 'x'.repeat(500) },
            }),
          );
          changes.push(
            ship.change({ documentId: id, baseVersion: 1, fields: { title: 'edited' } }),
          );
        }
        total += changes.length;
        envelopes.push(ship.envelope(changes));
      }
      await ship.send(...envelopes);
    }

    const started = process.hrtime.bigint();
    app = await createMasterApp(fleet.config);
    await app.init();
    const ready = process.hrtime.bigint();
    await waitFor(
      async () =>
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM change_outcomes')).rows[0]
          .n === total,
      { timeoutMs: 180_000, intervalMs: 100, description: `${total} changes applied` },
    );
    const done = process.hrtime.bigint();
    // From the first batch's transaction to the last commit seen: joining the group is not ingest.
    const window = await db.query<{ seconds: number }>(
      `SELECT extract(epoch FROM clock_timestamp() - min(recorded_at))::float8 AS seconds FROM change_outcomes`,
    );
    const seconds = Math.min(Number(done - ready) / 1e9, window.rows[0].seconds);
    const { rows } = await db.query<{ applied: number }>(
      `SELECT count(*)::int AS applied FROM change_outcomes WHERE status = 'applied'`,
    );
    expect(rows[0].applied).toBe(total);
    process.stdout.write(
      `[bench] master ingest: ${total} changes (${SHIPS.length} ships, ${CHANGES_PER_ENVELOPE} per envelope) ` +
        `in ${seconds.toFixed(2)} s from the first batch = ${Math.round(total / seconds)} changes/s; ` +
        `start-up ${(Number(ready - started) / 1e9).toFixed(2)} s; RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB (test process)\n`,
    );
  });
});
