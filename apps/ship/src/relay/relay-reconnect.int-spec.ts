import type { INestApplication } from '@nestjs/common';
import {
  startOwnKafka,
  stopOwnKafka,
  waitFor,
  type OwnKafkaBroker,
} from '../../../../test/harness/test-infra';
import { ShipConfig } from '../core/config/ship-config';
import {
  TestMaster,
  api,
  createShipTopics,
  createTestKeys,
  shipEnv,
  startShip,
} from '../testing/ship-test-kit';

type Status = { online: boolean; pending: number; failed: number; awaitingOutcome: number };

/**
 * A link outage on a broker of the test's own: writes made while it is down queue (and coalesce),
 * the connectivity monitor notices the link return and flushes, per-document order holds.
 */
describe('ship relay across a link outage (own Kafka broker + SQLite)', () => {
  const keys = createTestKeys();
  let broker: OwnKafkaBroker | undefined;
  let app: INestApplication | undefined;
  let master: TestMaster | undefined;

  afterAll(async () => {
    await app?.close();
    await master?.stop();
    if (broker) await stopOwnKafka(broker.dataDir);
  });

  const status = async () =>
    (await api(app!).get('/api/offline-sync/status').expect(200)).body as Status;

  it('queues writes while the link is down and flushes them, in order per document, when it returns', async () => {
    broker = await startOwnKafka();
    const env = shipEnv(keys, broker.brokers, {
      SYNC_RETRY_ATTEMPTS: '1',
      SYNC_RETRY_DELAY: '100',
    });
    const config = ShipConfig.fromEnv(env);
    await createShipTopics(config, broker.brokers);
    app = await startShip(env);
    await waitFor(async () => (await status()).online, {
      timeoutMs: 30_000,
      description: 'online',
    });

    // A document synced before the outage.
    const kept = (
      await api(app)
        .post('/api/content/note')
        .send({ data: { text: 'before' } })
        .expect(201)
    ).body as { id: string };
    await waitFor(async () => (await status()).awaitingOutcome === 1, {
      timeoutMs: 30_000,
      description: 'sent',
    });

    await stopOwnKafka(broker.dataDir, { keepData: true });
    await waitFor(async () => !(await status()).online, {
      timeoutMs: 30_000,
      description: 'offline',
    });

    const docs: string[] = [];
    for (let d = 0; d < 5; d += 1) {
      const doc = (
        await api(app)
          .post('/api/content/note')
          .send({ data: { text: `doc ${d}`, v: 0 } })
          .expect(201)
      ).body as { id: string };
      docs.push(doc.id);
    }
    for (let v = 1; v <= 3; v += 1) {
      for (const id of docs) {
        await api(app).patch(`/api/content/note/${id}`).send({ data: { v } }).expect(200);
      }
    }
    const gone = (
      await api(app)
        .post('/api/content/note')
        .send({ data: { text: 'short-lived' } })
        .expect(201)
    ).body as { id: string };
    await api(app).delete(`/api/content/note/${gone.id}`).expect(204);
    await api(app)
      .patch(`/api/content/note/${kept.id}`)
      .send({ data: { text: 'edited offline' } })
      .expect(200);
    await api(app).delete(`/api/content/note/${kept.id}`).expect(204);
    expect(await status()).toMatchObject({ online: false, pending: 6, failed: 0 });

    broker = await startOwnKafka({ dataDir: broker.dataDir });
    master = await new TestMaster(config, keys, broker.brokers).start();
    await waitFor(() => master!.changes.length >= 7, {
      timeoutMs: 60_000,
      description: 'the backlog at the master',
    });
    await waitFor(async () => (await status()).pending === 0, {
      timeoutMs: 30_000,
      description: 'nothing pending',
    });

    const byDoc = (id: string) => master!.changes.filter((c) => c.documentId === id);
    for (const [d, id] of docs.entries()) {
      // create + 3 updates coalesced into one create with the latest data.
      expect(byDoc(id)).toEqual([
        expect.objectContaining({ op: 'create', fields: { text: `doc ${d}`, v: 3 } }),
      ]);
    }
    expect(byDoc(gone.id)).toEqual([]); // create + delete: nothing
    // Per-document order: the earlier create, then the offline update + delete folded into a delete.
    expect(byDoc(kept.id).map((c) => [c.op, c.baseVersion])).toEqual([
      ['create', 0],
      ['delete', 0],
    ]);
    const seqs = master.changes.map((c) => c.seq);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);
    expect(master.alteredRedeliveries).toEqual([]);
  });
});
