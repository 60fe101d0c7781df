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
import { IngestService } from '../src/ingest/ingest.service';
import { OfflineSweep } from '../src/registry/offline-sweep';
import {
  createFleet,
  createShips,
  newDocumentId,
  type Fleet,
  type TestShip,
} from './master-test-kit';
import { fleetFigures } from './fleet-invariants';

const SHIPS = Array.from({ length: 8 }, (_, i) => `ship-${i + 1}`);

/**
 * Two master replicas in one consumer group share the ship-updates partitions; one leaves in the
 * middle of the stream. Every change is decided exactly once, including edits of one shared
 * document that ships on different partitions (so different replicas) make at the same time.
 */
describe('two master replicas in one consumer group (real Kafka + PostgreSQL)', () => {
  let databaseUrl: string;
  let fleet: Fleet;
  let first: INestApplication;
  let second: INestApplication | null = null;
  let producer: Producer;
  let db: Client;
  let ships: TestShip[];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_replicas');
    fleet = createFleet(databaseUrl, SHIPS, { KAFKA_SHIP_UPDATES_PARTITIONS: '4' });
    first = await createMasterApp(fleet.config);
    await first.init();
    countIngest(first);
    second = await createMasterApp(fleet.config);
    await second.init();
    countIngest(second);
    producer = createKafka('replicas-test').producer({ idempotent: true });
    await producer.connect();
    const byId = createShips(fleet, producer);
    ships = SHIPS.map((id) => byId.get(id) as TestShip);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const admin = createKafka('replicas-admin').admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const { groups } = await admin.describeGroups([fleet.config.consumerGroupId]);
          return groups[0]?.state === 'Stable' && groups[0].members.length === 2;
        },
        { timeoutMs: 60_000, description: 'both replicas in the consumer group' },
      );
    } finally {
      await admin.disconnect();
    }
  });

  afterAll(async () => {
    await producer?.disconnect();
    await second?.close();
    await first?.close();
    await db?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  /** Each ship: `envelopes` envelopes of creates and edits of its own documents, plus the shared one. */
  async function produceRound(shared: string, envelopes: number): Promise<number> {
    let total = 0;
    await Promise.all(
      ships.map(async (ship) => {
        const list = [];
        for (let e = 0; e < envelopes; e += 1) {
          const id = newDocumentId();
          const changes = [
            ship.change({ op: 'create', documentId: id, fields: { title: `${ship.id} ${e}` } }),
            ship.change({ documentId: id, baseVersion: 1, fields: { body: 'edited' } }),
            ship.change({ documentId: id, baseVersion: 1, fields: { title: 'again' } }),
            ship.change({ documentId: shared, baseVersion: 1, fields: { [ship.id]: e } }),
          ];
          total += changes.length;
          list.push(ship.envelope(changes));
        }
        await ship.send(...list);
      }),
    );
    return total;
  }

  /**
   * Envelopes this replica's ingest accepted. Metrics are process-wide (both replicas run in this
   * process), so this counts at the replica's own IngestService.
   */
  const accepted = new Map<INestApplication, number>();
  function countIngest(app: INestApplication): void {
    const ingest = app.get(IngestService);
    const original = ingest.ingestBatch.bind(ingest);
    ingest.ingestBatch = async (...args) => {
      const summary = await original(...args);
      accepted.set(app, (accepted.get(app) ?? 0) + summary.envelopes);
      return summary;
    };
  }
  function received(app: INestApplication): number {
    return accepted.get(app) ?? 0;
  }

  it('shares the partitions without applying anything twice, also when one replica leaves mid-stream', async () => {
    const shared = newDocumentId();
    const [seed] = await ships[0].push({
      op: 'create',
      documentId: shared,
      fields: { title: 'shared' },
    });
    await waitFor(
      async () =>
        (await db.query('SELECT 1 FROM change_outcomes WHERE change_id = $1', [seed.changeId]))
          .rowCount === 1,
      { timeoutMs: 30_000, description: 'the shared document created' },
    );

    let expected = 1 + (await produceRound(shared, 15));
    await waitFor(async () => (await fleetFigures(db)).outcomes === expected, {
      timeoutMs: 120_000,
      description: `${expected} outcomes`,
    });
    expect(received(first)).toBeGreaterThan(0);
    expect(received(second as INestApplication)).toBeGreaterThan(0);

    // The second replica leaves while a new round is in flight: the first takes its partitions over.
    const round = produceRound(shared, 15);
    await (second as INestApplication).close();
    second = null;
    expected += await round;
    const figures = await waitFor(
      async () => {
        const current = await fleetFigures(db);
        return current.outcomes === expected && current.pendingOutbox === 0 ? current : undefined;
      },
      { timeoutMs: 120_000, description: `${expected} outcomes and an empty outbox` },
    );
    expect(figures).toMatchObject({ inconsistent: 0, gaps: 0, envelopes: 1 + SHIPS.length * 30 });
    // Concurrent edits of the shared document from other ships became conflicts, never lost.
    const { rows } = await db.query<{ open: number }>(
      `SELECT count(*)::int AS open FROM conflicts WHERE document_id = $1 AND status = 'open'`,
      [shared],
    );
    expect(rows[0].open).toBeGreaterThan(0);
    expect(rows[0].open).toBeLessThanOrEqual(SHIPS.length);
  });

  it('runs the offline sweep on one replica at a time (PostgreSQL advisory lock)', async () => {
    const replica = first.get(OfflineSweep);
    // While someone holds the sweep lock, a replica skips its round instead of sweeping too.
    const holder = new Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(727004)');
      expect(await replica.sweep()).toBeNull();
      await holder.query('SELECT pg_advisory_unlock(727004)');
      expect(await replica.sweep()).toEqual(expect.any(Array) as unknown[]);
    } finally {
      await holder.end();
    }
  });
});
