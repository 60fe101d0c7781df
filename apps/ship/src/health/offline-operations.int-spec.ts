import type { INestApplication } from '@nestjs/common';
import { startLinkedKafka, type LinkedKafka } from '../../../../test/harness/linked-kafka';
import { waitFor } from '../../../../test/harness/test-infra';
import { ShipConfig } from '../core/config/ship-config';
import { Scrape } from '../../../../test/harness/prometheus-text';
import {
  TestMaster,
  api,
  createShipTopics,
  createTestKeys,
  shipEnv,
  startShip,
  VIEWER_KEY,
} from '../testing/ship-test-kit';

type HealthBody = {
  status: string;
  info?: Record<string, Record<string, unknown>>;
  error?: Record<string, Record<string, unknown>>;
  details: Record<string, Record<string, unknown>>;
};

const WRITES = 40;

/**
 * A ship whose satellite link is cut stays live and ready and keeps taking the crew's writes;
 * health detail and metrics say what happened: link offline, a backlog of exactly the writes
 * made, then — once the link returns — every change sent and the backlog gone. Own broker behind
 * a cuttable link, SQLite.
 */
describe('ship operations offline: health and metrics (own broker behind a cuttable link + SQLite)', () => {
  const keys = createTestKeys();
  let kafka: LinkedKafka | undefined;
  let app: INestApplication | undefined;
  let master: TestMaster | undefined;

  afterAll(async () => {
    // The link back first: a consumer cut off mid-retry would keep reconnecting after close.
    for (const { proxy } of Object.values(kafka?.links ?? {})) proxy.restore();
    await app?.close();
    await master?.stop();
    await kafka?.stop();
  });

  const probe = async (path: string) => {
    const response = await api(app!, VIEWER_KEY).get(`/api/offline-sync/health${path}`);
    return { status: response.status, body: response.body as HealthBody };
  };
  const metric = async (name: string, labels: Record<string, string> = {}) =>
    new Scrape(
      (await api(app!, VIEWER_KEY).get('/api/offline-sync/metrics').expect(200)).text,
    ).exact(name, labels);

  it('stays ready while the link is cut, counts the backlog, then reports it sent', async () => {
    kafka = await startLinkedKafka(['ship-ops']);
    const link = kafka.links['ship-ops'];
    const env = shipEnv(keys, [link.brokers], {
      SYNC_SHIP_ID: 'ship-ops',
      KAFKA_REQUEST_TIMEOUT: '1500',
      SYNC_CONNECTIVITY_CHECK_INTERVAL: '300',
    });
    const config = ShipConfig.fromEnv(env);
    await createShipTopics(config, [kafka.brokers]);
    master = await new TestMaster(config, keys, [kafka.brokers]).start();
    app = await startShip(env);
    await waitFor(
      async () => (await metric('offline_sync_ship_online', { ship_id: 'ship-ops' })) === 1,
      {
        timeoutMs: 30_000,
        description: 'the link up',
      },
    );
    expect((await probe('')).status).toBe(200);

    // 1. The link is cut: the ship notices, and stays live and ready.
    link.proxy.cut();
    await waitFor(
      async () => (await metric('offline_sync_ship_online', { ship_id: 'ship-ops' })) === 0,
      {
        timeoutMs: 30_000,
        description: 'the link down',
      },
    );
    expect((await probe('/live')).status).toBe(200);
    const ready = await probe('/ready');
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.details).sort()).toEqual([
      'database',
      'inboundHold',
      'migrations',
      'shutdown',
      'storage',
    ]);

    // 2. The crew keeps writing; readiness never leaves 200 meanwhile.
    const ids: string[] = [];
    for (let i = 0; i < WRITES; i += 1) {
      const response = await api(app)
        .post('/api/content/note')
        .send({ data: { text: `offline ${i}` } })
        .expect(201);
      ids.push((response.body as { id: string }).id);
      if (i % 10 === 0) expect((await probe('/ready')).status).toBe(200);
    }

    // 3. Detail: the link offline (so detail is 503, naming kafka), the backlog = the writes.
    await waitFor(
      async () => {
        const detail = await probe('');
        return detail.body.details.outbox?.pending === WRITES;
      },
      { timeoutMs: 30_000, description: 'the backlog in health detail' },
    );
    const detail = await probe('');
    expect(detail.status).toBe(503);
    expect(Object.keys(detail.body.error ?? {})).toEqual(['kafka']);
    expect(detail.body.details.kafka).toMatchObject({ status: 'down', link: 'offline' });
    expect(detail.body.details.database).toEqual({ status: 'up' });
    expect(detail.body.details.outbox).toMatchObject({ status: 'up', pending: WRITES, failed: 0 });
    expect(detail.body.details.inbound).toMatchObject({ status: 'up', lag: null });
    expect(detail.body.details.sync).toHaveProperty('lastSyncAt');
    await waitFor(
      async () => (await metric('offline_sync_outbox_depth', { state: 'pending' })) === WRITES,
      {
        timeoutMs: 30_000,
        description: `outbox depth ${WRITES}`,
      },
    );
    expect(await metric('offline_sync_outbox_depth', { state: 'failed' })).toBe(0);
    expect(await metric('offline_sync_ship_queue_depth', { ship_id: 'ship-ops' })).toBe(WRITES);
    expect(await metric('offline_sync_messages_total', { status: 'sent' })).toBe(0);
    expect(master.changes).toEqual([]);

    // 4. The link returns: every change is sent once, the depth falls to 0, the counter says N.
    link.proxy.restore();
    await waitFor(
      async () =>
        (await metric('offline_sync_messages_total', { status: 'sent' })) === WRITES &&
        (await metric('offline_sync_outbox_depth', { state: 'pending' })) === 0,
      { timeoutMs: 60_000, description: 'the backlog sent' },
    );
    expect(await metric('offline_sync_outbox_depth', { state: 'failed' })).toBe(0);
    expect(await metric('offline_sync_messages_total', { status: 'failed' })).toBe(0);
    expect(await metric('offline_sync_ship_online', { ship_id: 'ship-ops' })).toBe(1);
    await waitFor(() => master!.changes.length === WRITES, {
      timeoutMs: 30_000,
      description: 'the changes at the master',
    });
    expect(master.changes.map((c) => c.documentId)).toEqual(ids);
    expect(await metric('offline_sync_last_sync_timestamp_seconds')).toBeGreaterThan(0);

    // 5. The master's outcomes settle them: nothing awaits an outcome, detail is all green.
    await master.applyAll(master.changes);
    await waitFor(
      async () => {
        const now = await probe('');
        return now.status === 200 && now.body.details.outbox?.awaitingOutcome === 0;
      },
      { timeoutMs: 60_000, description: 'outcomes applied, detail green' },
    );
    const settled = await probe('');
    expect(settled.body.details.outbox).toMatchObject({
      pending: 0,
      failed: 0,
      awaitingOutcome: 0,
    });
    expect(settled.body.details.kafka).toMatchObject({ status: 'up', link: 'online' });
    expect(settled.body.details.inbound).toMatchObject({ consumer: 'running' });
    expect(await metric('offline_sync_messages_total', { status: 'sent' })).toBe(WRITES);
  });
});
