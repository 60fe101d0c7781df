import type { INestApplication } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  createTestDatabase,
  dropTestDatabase,
  kafkaBrokers,
  waitFor,
} from '../../../../test/harness/test-infra';
import { ShipConfig } from '../core/config/ship-config';
import {
  TestMaster,
  api,
  createShipTopics,
  createTestKeys,
  masterUpdate,
  shipEnv,
  startShip,
  type TestKeys,
  ADMIN_KEY,
} from '../testing/ship-test-kit';

type Doc = {
  data: Record<string, unknown>;
  version: number;
  sync: { state: string; conflictId?: string };
};

/**
 * Ship ⇄ master through a real broker, the test playing the master: changes arrive signed and in
 * order, outcomes settle them, master updates are applied by version, a pending local edit is
 * never overwritten, and a ship catches up from its own stored position (group offsets gone) or,
 * brand new, from the beginning.
 */
describe.each(['sqlite', 'postgres'] as const)(
  'ship inbound and outcomes (real Kafka + %s)',
  (database) => {
    const brokers = kafkaBrokers();
    let keys: TestKeys;
    let env: Record<string, string>;
    let config: ShipConfig;
    let master: TestMaster;
    let app: INestApplication | undefined;
    let databaseUrl: string | undefined;

    beforeAll(async () => {
      keys = createTestKeys();
      // The same code path on both databases; PostgreSQL gets a database of its own.
      databaseUrl = database === 'postgres' ? await createTestDatabase('ship_inbox') : undefined;
      env = shipEnv(keys, brokers, {
        KAFKA_CONSUMER_GROUP_SUFFIX: '-a',
        ...(databaseUrl ? { DATABASE_CLIENT: 'postgres', DATABASE_URL: databaseUrl } : {}),
      });
      config = ShipConfig.fromEnv(env);
      await createShipTopics(config, brokers);
      master = await new TestMaster(config, keys, brokers).start();
    });

    afterAll(async () => {
      await app?.close();
      await master?.stop();
      if (databaseUrl) await dropTestDatabase(databaseUrl);
    });

    const get = async (id: string, status = 200) =>
      (await api(app!).get(`/api/content/article/${id}?locale=en`).expect(status)).body as Doc;

    it('a brand-new ship catches up from the beginning; deletion markers delete; a poison message is dead-lettered', async () => {
      const ids = Array.from({ length: 300 }, () => uuidv7());
      // Several versions per document; the newest must win whatever the order within the topic.
      await master.publishUpdates(
        ids.map((documentId) => masterUpdate({ documentId, version: 1 })),
      );
      await master.publishRaw(config.topics.masterUpdates, 'junk', '{"not":"an envelope"}');
      // Signed one by one, as by a master that still serves ships reading schema version 1 only.
      await master.publishUpdates(
        ids.slice(0, 100).map((documentId) => masterUpdate({ documentId, version: 2 })),
        'each',
      );
      // A batch-signed update changed in transit: its proof leads to a root nobody signed.
      const [forged] = await master.signedUpdates([
        masterUpdate({ documentId: ids[200], version: 1 }),
      ]);
      forged.payload = { ...forged.payload, version: 9, data: { title: 'forged' } };
      await master.publishRaw(config.topics.masterUpdates, 'forged', JSON.stringify(forged));
      await master.publishUpdates([
        masterUpdate({ documentId: ids[0], version: 3, deleted: true }),
      ]);

      app = await startShip(env);
      await waitFor(
        async () => {
          const status = (await api(app!).get('/api/offline-sync/status').expect(200)).body as {
            appliedPosition: Record<string, string>;
          };
          return Number(status.appliedPosition['0'] ?? 0) >= 403;
        },
        { timeoutMs: 60_000, description: 'the ship applied the whole topic' },
      );
      const list = (await api(app).get('/api/content/article?locale=en&pageSize=500').expect(200))
        .body as {
        total: number;
      };
      expect(list.total).toBe(299);
      expect((await get(ids[1])).version).toBe(2);
      expect((await get(ids[150])).version).toBe(1);
      expect((await get(ids[200])).version).toBe(1);
      await get(ids[0], 404);
      const status = (await api(app).get('/api/offline-sync/status').expect(200)).body as {
        deadLetters: number;
      };
      expect(status.deadLetters).toBe(2);

      // A late, older update cannot bring the deleted document back.
      await master.publishUpdates([masterUpdate({ documentId: ids[0], version: 2 })]);
      await waitFor(
        async () => {
          const s = (await api(app!).get('/api/offline-sync/status').expect(200)).body as {
            appliedPosition: Record<string, string>;
          };
          return Number(s.appliedPosition['0']) >= 404;
        },
        { timeoutMs: 30_000, description: 'the late update consumed' },
      );
      await get(ids[0], 404);
    });

    it('sends signed changes in order, settles them from outcomes, and never overwrites a pending edit', async () => {
      const id = uuidv7();
      await master.publishUpdates([
        masterUpdate({ documentId: id, version: 1, data: { title: 'Master 1' } }),
      ]);
      await waitFor(async () => (await get(id)).version === 1, {
        timeoutMs: 30_000,
        description: 'v1 applied',
      });

      // The crew edits; the edit reaches the "master", which has not decided yet.
      await api(app!)
        .patch(`/api/content/article/${id}?locale=en`)
        .send({ data: { body: 'crew' } })
        .expect(200);
      const change = await waitFor(() => master.changes.find((c) => c.documentId === id), {
        timeoutMs: 30_000,
        description: 'the crew edit at the master',
      });
      expect(change).toMatchObject({ op: 'update', baseVersion: 1, fields: { body: 'crew' } });

      // Someone on shore edits too: a newer master version must not overwrite the pending edit.
      await master.publishUpdates([
        masterUpdate({ documentId: id, version: 2, data: { title: 'Shore 2' } }),
      ]);
      const other = uuidv7();
      await master.publishUpdates([masterUpdate({ documentId: other, version: 1 })]);
      await waitFor(
        async () => (await api(app!).get(`/api/content/article/${other}?locale=en`)).status === 200,
        {
          timeoutMs: 30_000,
          description: 'a later update consumed',
        },
      );
      expect(await get(id)).toMatchObject({
        data: { title: 'Master 1', body: 'crew' },
        version: 1,
        sync: { state: 'pending' },
      });

      // The master reports a conflict: the crew's edit stays, the conflict is shown.
      await master.publishOutcomes([
        { ...pick(change), status: 'conflict', conflictId: 'conflict-1', version: 2 },
      ]);
      await waitFor(async () => (await get(id)).sync.state === 'conflict', {
        timeoutMs: 30_000,
        description: 'conflict shown',
      });
      expect(await get(id)).toMatchObject({
        data: { title: 'Master 1', body: 'crew' },
        sync: { state: 'conflict', conflictId: 'conflict-1' },
      });
      // The resolution arrives as a new master version and replaces the local copy.
      await master.publishUpdates([
        masterUpdate({ documentId: id, version: 3, data: { title: 'Shore 2', body: 'crew' } }),
      ]);
      await waitFor(async () => (await get(id)).version === 3, {
        timeoutMs: 30_000,
        description: 'resolution applied',
      });
      expect(await get(id)).toMatchObject({
        data: { title: 'Shore 2', body: 'crew' },
        sync: { state: 'synced' },
      });

      // An applied outcome moves the base version; the master's copy of that version is taken.
      const fresh = (
        await api(app!)
          .post('/api/content/article')
          .send({ data: { title: 'New' }, locale: 'en' })
          .expect(201)
      ).body as { id: string };
      const create = await waitFor(() => master.changes.find((c) => c.documentId === fresh.id), {
        timeoutMs: 30_000,
        description: 'the create at the master',
      });
      expect(create).toMatchObject({ op: 'create', baseVersion: 0, fields: { title: 'New' } });
      await master.publishOutcomes([{ ...pick(create), status: 'applied', version: 1 }]);
      await waitFor(async () => (await get(fresh.id)).sync.state === 'synced', {
        timeoutMs: 30_000,
        description: 'create settled',
      });
      expect((await get(fresh.id)).version).toBe(1);
      const queue = (await api(app!).get('/api/offline-sync/queue?status=applied').expect(200))
        .body as {
        items: { changeId: string; outcome: { version: number } }[];
      };
      expect(queue.items.find((r) => r.changeId === create.changeId)?.outcome.version).toBe(1);

      // Every change carried a strictly increasing seq, and nothing reached the master unsigned.
      const seqs = master.changes.map((c) => c.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(master.rejected).toEqual([]);
      await waitFor(() => master.heartbeats.length > 0, {
        timeoutMs: 30_000,
        description: 'a heartbeat',
      });
      expect(master.heartbeats[0]).toMatchObject({ shipId: 'ship-test', online: true });
    });

    it('a ship back after a long time, its group offsets gone, resumes from the position it stored', async () => {
      await app!.close();
      app = undefined;
      const missed = Array.from({ length: 50 }, () => uuidv7());
      await master.publishUpdates(
        missed.map((documentId) => masterUpdate({ documentId, version: 1 })),
      );
      // A new consumer group (as if the broker expired the old one's offsets).
      app = await startShip({ ...env, KAFKA_CONSUMER_GROUP_SUFFIX: '-after-a-month' });
      await waitFor(
        async () =>
          (await api(app!).get(`/api/content/article/${missed[49]}?locale=en`)).status === 200,
        {
          timeoutMs: 60_000,
          description: 'the missed updates applied',
        },
      );
      // Had it re-read from the beginning, the poison message would have been dead-lettered again.
      const status = (await api(app).get('/api/offline-sync/status').expect(200)).body as {
        deadLetters: number;
      };
      expect(status.deadLetters).toBe(2);

      // POST pull re-reads from the beginning on request: harmless, versions decide.
      const pull = await api(app, ADMIN_KEY)
        .post('/api/offline-sync/pull')
        .send({ from: 'beginning' })
        .expect(202);
      expect(pull.body).toMatchObject({ consumer: 'running', seekedTo: { '0': '0' } });
      await waitFor(
        async () =>
          (
            (await api(app!).get('/api/offline-sync/status').expect(200)).body as {
              deadLetters: number;
            }
          ).deadLetters === 2,
        { timeoutMs: 30_000, description: 'the re-read reached the poison message again' },
      );
      const list = (await api(app).get('/api/content/article?locale=en&pageSize=1').expect(200))
        .body as {
        total: number;
      };
      expect(list.total).toBe(299 + 2 + 1 + 50);
    });
  },
);

function pick(change: {
  changeId: string;
  seq: number;
  documentId: string;
  type: string;
  locale: string;
}) {
  return {
    changeId: change.changeId,
    seq: change.seq,
    documentId: change.documentId,
    type: change.type,
    locale: change.locale,
  };
}
