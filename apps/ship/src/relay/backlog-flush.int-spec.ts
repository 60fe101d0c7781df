import type { INestApplication } from '@nestjs/common';
import { kafkaBrokers, waitFor } from '../../../../test/harness/test-infra';
import { ContentService } from '../content/content.service';
import { ShipConfig } from '../core/config/ship-config';
import {
  TestMaster,
  api,
  createShipTopics,
  createTestKeys,
  shipEnv,
  startShip,
} from '../testing/ship-test-kit';

const BACKLOG = 10_000;
const WRITERS = 16;

/**
 * A ship that worked offline for a long time: 10,000 local writes (16 writers at a time) queue
 * up with no broker reachable; when the ship comes back with a link, the whole backlog reaches
 * the master, once each, in write order, in envelopes of SYNC_BATCH_SIZE changes. The write and
 * flush times are printed, not asserted.
 */
describe('ship outbox backlog (real Kafka + SQLite)', () => {
  const brokers = kafkaBrokers();
  const keys = createTestKeys();
  let app: INestApplication | undefined;
  let master: TestMaster | undefined;

  afterAll(async () => {
    await app?.close();
    await master?.stop();
  });

  it(`flushes a ${BACKLOG}-change backlog completely, in order, once each`, async () => {
    const offlineEnv = shipEnv(keys, ['127.0.0.1:1'], { SYNC_BATCH_SIZE: '100' });
    app = await startShip(offlineEnv);
    const content = app.get(ContentService);
    const writeStarted = Date.now();
    // Several crew apps writing at once (their writes share commits); write order is the order
    // the writes were made in, which is the order of i.
    const ids: string[] = new Array<string>(BACKLOG);
    let next = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (next < BACKLOG) {
          const i = next;
          next += 1;
          ids[i] = (await content.create('note', { data: { n: i, text: `entry ${i}` } })).id;
        }
      }),
    );
    const writeMs = Date.now() - writeStarted;
    const offline = (await api(app).get('/api/offline-sync/status').expect(200)).body as {
      pending: number;
      online: boolean;
    };
    expect(offline).toMatchObject({ pending: BACKLOG, online: false });
    await app.close();

    // The link returns (same database, a reachable broker).
    const env = { ...offlineEnv, KAFKA_BROKERS: brokers.join(',') };
    const config = ShipConfig.fromEnv(env);
    await createShipTopics(config, brokers);
    master = await new TestMaster(config, keys, brokers).start();
    const flushStarted = Date.now();
    app = await startShip(env);
    await waitFor(() => master!.changes.length >= BACKLOG, {
      timeoutMs: 120_000,
      intervalMs: 100,
      description: `${BACKLOG} changes at the master`,
    });
    const flushMs = Date.now() - flushStarted;

    const changes = master.changes;
    expect(changes).toHaveLength(BACKLOG);
    expect(changes.map((c) => c.documentId)).toEqual(ids);
    const seqs = changes.map((c) => c.seq);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);
    expect([...master.envelopes.values()].every((e) => e.changes.length <= 100)).toBe(true);
    expect(master.alteredRedeliveries).toEqual([]);
    expect(master.rejected).toEqual([]);
    await waitFor(
      async () =>
        ((await api(app!).get('/api/offline-sync/status').expect(200)).body as { pending: number })
          .pending === 0,
      { timeoutMs: 30_000, description: 'nothing pending' },
    );
    const queue = (await api(app).get('/api/offline-sync/status').expect(200)).body as {
      awaitingOutcome: number;
    };
    expect(queue.awaitingOutcome).toBe(BACKLOG);
    // The figure is the point of this test: printed for the record, never asserted.

    console.log(
      `[backlog] ${BACKLOG} offline writes (${WRITERS} at a time) in ${writeMs} ms (${Math.round((BACKLOG * 1000) / writeMs)}/s); ` +
        `flushed after reconnect in ${flushMs} ms (${Math.round((BACKLOG * 1000) / flushMs)} changes/s, ` +
        `${master.envelopes.size} envelopes, start-up included)`,
    );
  });
});
