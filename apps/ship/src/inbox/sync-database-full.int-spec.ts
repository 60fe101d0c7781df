import type { INestApplication } from '@nestjs/common';
import { ShipConnection } from '../core/database/ship-connection';
import type { ShipDb } from '../core/database/ship-tables';
import { rawQuery } from '../testing/ship-test-database';
import { v7 as uuidv7 } from 'uuid';
import { kafkaBrokers, waitFor } from '../../../../test/harness/test-infra';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import {
  TestMaster,
  api,
  createShipTopics,
  createTestKeys,
  masterUpdate,
  shipEnv,
  startShip,
  ADMIN_KEY,
} from '../testing/ship-test-kit';

type Status = {
  online: boolean;
  deadLetters: number;
  appliedPosition: Record<string, string>;
  queue: Record<string, number>;
};

/** 16 KiB of text: more than a nearly full file has room for. */
const BIG = 'x'.repeat(16 * 1024);

/**
 * The sync paths meet a full SQLite file (PRAGMA max_page_count) on a real broker, the test
 * playing the master: the relay cannot seal the crew's change and the inbox cannot apply master
 * updates. Neither skips anything (the change stays queued, the updates unapplied, the stored
 * position where it was, no dead letter); once the file may grow again both go through.
 */
describe('relay and inbox on a full SQLite database (real Kafka)', () => {
  const brokers = kafkaBrokers();
  let config: ShipConfig;
  let master: TestMaster;
  let app: INestApplication | undefined;
  let dataSource: ShipDb;

  beforeAll(async () => {
    const keys = createTestKeys();
    // The relay sends only when asked (POST push): the test decides when it first tries.
    const env = shipEnv(keys, brokers, {
      SYNC_SHIP_ID: 'ship-full-sync',
      SYNC_DEBOUNCE_MS: '3600000',
      SYNC_CONNECTIVITY_CHECK_INTERVAL: '3600000',
    });
    config = ShipConfig.fromEnv(env);
    await createShipTopics(config, brokers);
    master = await new TestMaster(config, keys, brokers).start();
    app = await startShip(env);
    dataSource = app.get(ShipConnection).db;
    await waitFor(async () => (await status()).online, {
      timeoutMs: 30_000,
      description: 'the link up',
    });
  });

  afterAll(async () => {
    await app?.close();
    await master?.stop();
  });

  const status = async (): Promise<Status> =>
    (await api(app!).get('/api/offline-sync/status').expect(200)).body as Status;
  const readiness = async (): Promise<number> =>
    (await api(app!, null).get('/api/offline-sync/health/ready')).status;

  /**
   * The file may not grow, and has no free page left (VACUUM, in a unit of work of its own so
   * that no transaction is open): no write that needs a page goes through.
   */
  async function fill(): Promise<void> {
    await app!.get(ShipDatabase).read(async (manager) => {
      const pragma = async (name: string): Promise<number> =>
        Number((await rawQuery<Record<string, number>>(manager, `PRAGMA ${name}`))[0][name]);
      await rawQuery(manager, 'VACUUM');
      await rawQuery(manager, `PRAGMA max_page_count = ${await pragma('page_count')}`);
      expect(await pragma('freelist_count')).toBe(0);
    });
  }
  const makeRoom = () => rawQuery(dataSource, 'PRAGMA max_page_count = 1073741823');

  it('keeps the crew change queued while it cannot be sealed, and sends it once there is room', async () => {
    const created = await api(app!)
      .post('/api/content/note')
      .send({ data: { text: BIG } })
      .expect(201);
    const id = (created.body as { id: string }).id;
    await fill();

    await api(app!, ADMIN_KEY).post('/api/offline-sync/push').send({}).expect(202);
    // Sealing writes the signed envelope: refused, the database is marked full.
    await waitFor(async () => (await readiness()) === 503, {
      timeoutMs: 30_000,
      description: 'readiness red after the relay met the full database',
    });
    expect((await status()).queue).toMatchObject({ pending: 1, sending: 0, sent: 0 });
    expect(master.changes.filter((c) => c.documentId === id)).toEqual([]);

    await makeRoom();
    await waitFor(async () => (await readiness()) === 200, {
      timeoutMs: 30_000,
      description: 'readiness green once there is room',
    });
    await api(app!, ADMIN_KEY).post('/api/offline-sync/push').send({}).expect(202);
    await waitFor(() => master.changes.some((c) => c.documentId === id), {
      timeoutMs: 30_000,
      description: 'the change at the master',
    });
    const [change] = master.changes.filter((c) => c.documentId === id);
    expect(change).toMatchObject({ op: 'create', fields: { text: BIG } });
  });

  it('applies no master update while full and skips none: all of them once there is room', async () => {
    const before = await status();
    const ids = Array.from({ length: 5 }, () => uuidv7());
    await fill();
    await master.publishUpdates(
      ids.map((documentId) =>
        masterUpdate({ documentId, version: 1, data: { title: 'From shore', body: BIG } }),
      ),
    );
    // The inbox's transaction is refused: the database is marked full.
    await waitFor(async () => (await readiness()) === 503, {
      timeoutMs: 30_000,
      description: 'readiness red after the inbox met the full database',
    });
    for (const id of ids) await api(app!).get(`/api/content/article/${id}?locale=en`).expect(404);
    const during = await status();
    expect(during.appliedPosition).toEqual(before.appliedPosition);
    expect(during.deadLetters).toBe(0);

    await makeRoom();
    await waitFor(
      async () => {
        for (const id of ids) {
          const response = await api(app!).get(`/api/content/article/${id}?locale=en`);
          if (response.status !== 200) return false;
        }
        return true;
      },
      { timeoutMs: 60_000, description: 'every master update applied' },
    );
    const after = await status();
    expect(Number(after.appliedPosition['0'])).toBe(Number(before.appliedPosition['0'] ?? 0) + 5);
    expect(after.deadLetters).toBe(0);
    expect(await readiness()).toBe(200);
  });
});
