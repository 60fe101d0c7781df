import type { INestApplication } from '@nestjs/common';
import { startLinkedKafka, type LinkedKafka } from '../../../../test/harness/linked-kafka';
import { createTopics, waitFor } from '../../../../test/harness/test-infra';
import { ShipConfig } from '../core/config/ship-config';
import {
  TestMaster,
  api,
  createTestKeys,
  shipEnv,
  startShip,
  ADMIN_KEY,
} from '../testing/ship-test-kit';

type Status = { online: boolean; pending: number; failed: number; awaitingOutcome: number };
type QueuePage = { items: { changeId: string; status: string; attempts: number }[]; total: number };

/**
 * Rows whose sends exhaust SYNC_RETRY_ATTEMPTS become `failed`: they stay visible in the queue,
 * nothing newer overtakes them, and they are delivered by POST push or when the link returns.
 * The ship's link runs through a proxy the test can cut; sends fail within a bounded time
 * (KAFKA_CONNECTION_TIMEOUT + KAFKA_REQUEST_TIMEOUT), so the retries do run out.
 */
describe('ship relay: failed rows (own broker behind a cuttable link + SQLite)', () => {
  const keys = createTestKeys();
  let kafka: LinkedKafka | undefined;
  let app: INestApplication | undefined;
  let master: TestMaster | undefined;

  afterAll(async () => {
    await app?.close();
    await master?.stop();
    await kafka?.stop();
  });

  const status = async () =>
    (await api(app!).get('/api/offline-sync/status').expect(200)).body as Status;
  const failedQueue = async () =>
    (await api(app!).get('/api/offline-sync/queue?status=failed').expect(200)).body as QueuePage;
  const write = async (text: string) =>
    (
      (await api(app!).post('/api/content/note').send({ data: { text } }).expect(201)).body as {
        id: string;
      }
    ).id;

  it('keeps exhausted rows as failed until POST push, then on reconnect', async () => {
    kafka = await startLinkedKafka(['ship-x']);
    const link = kafka.links['ship-x'];
    const env = shipEnv(keys, [link.brokers], {
      SYNC_SHIP_ID: 'ship-x',
      SYNC_RETRY_ATTEMPTS: '1',
      SYNC_RETRY_DELAY: '100',
      KAFKA_CONNECTION_TIMEOUT: '1000',
      KAFKA_REQUEST_TIMEOUT: '1500',
      // Slow enough that a cut is not noticed before the relay's sends have failed.
      SYNC_CONNECTIVITY_CHECK_INTERVAL: '3000',
    });
    const config = ShipConfig.fromEnv(env);
    const direct = [kafka.brokers];
    // Everything but ship-updates: the broker answers, yet every send of changes fails.
    await createTopics(direct, [
      { topic: config.topics.heartbeats },
      {
        topic: config.topics.masterUpdates,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
      { topic: config.outcomesTopic },
    ]);
    app = await startShip(env);
    await waitFor(async () => (await status()).online, {
      timeoutMs: 30_000,
      description: 'online',
    });

    // 1. Sends that cannot succeed: the rows end up failed, visible, attempts recorded.
    const first = [await write('a'), await write('b'), await write('c')];
    // (Rows sealed after a failed envelope wait behind it, pending: nothing overtakes it.)
    await waitFor(
      async () => {
        const now = await status();
        return now.failed > 0 && now.failed + now.pending === 3;
      },
      { timeoutMs: 30_000, description: 'failed rows, the rest waiting behind them' },
    );
    const failed = await failedQueue();
    expect(failed.total).toBe((await status()).failed);
    expect(failed.items.every((row) => row.status === 'failed' && row.attempts === 2)).toBe(true);
    expect((await status()).online).toBe(true);
    const failedCount = failed.total;

    // The topic appears; the relay's own passes leave failed rows alone (they wait for a retry).
    await createTopics(direct, [{ topic: config.topics.shipUpdates }]);
    master = await new TestMaster(config, keys, direct).start();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    // (A try abandoned at the deadline may still land late: the ship cannot know, so the rows
    // stay failed and are re-sent as the same envelope, which the master recognises.)
    expect((await failedQueue()).total).toBe(failedCount);

    // 2. POST push delivers them.
    expect(
      (await api(app, ADMIN_KEY).post('/api/offline-sync/push').send({}).expect(202)).body,
    ).toEqual({
      online: true,
      started: true,
    });
    // The master can read a message before the broker's ack has crossed the ship's link and the
    // ship has recorded it: wait for both sides.
    await waitFor(
      async () => {
        if (master!.changes.length !== 3) return false;
        const now = await status();
        return now.pending === 0 && now.failed === 0;
      },
      { timeoutMs: 30_000, description: 'the failed rows at the master after push, acked' },
    );
    expect(master.changes.map((c) => c.documentId)).toEqual(first);
    expect((await failedQueue()).total).toBe(0);
    expect(await status()).toMatchObject({ failed: 0, pending: 0, awaitingOutcome: 3 });

    // 3. The link is cut while the ship still believes it is up: sends fail, rows fail.
    link.proxy.cut();
    const second = [await write('d'), await write('e')];
    await waitFor(
      async () => {
        const now = await status();
        return now.failed > 0 && now.failed + now.pending === 2;
      },
      { timeoutMs: 30_000, description: 'failed rows while the link is cut' },
    );
    const cutFailed = (await failedQueue()).total;
    expect(cutFailed).toBeGreaterThan(0);
    await waitFor(async () => !(await status()).online, {
      timeoutMs: 30_000,
      description: 'offline noticed',
    });
    expect((await failedQueue()).total).toBe(cutFailed);

    // 4. The link returns: the reconnect retries the failed rows, without any push.
    link.proxy.restore();
    await waitFor(async () => master!.changes.length === 5 && (await status()).failed === 0, {
      timeoutMs: 60_000,
      description: 'the failed rows at the master after reconnect, acked',
    });
    expect(master.changes.slice(3).map((c) => c.documentId)).toEqual(second);
    expect((await failedQueue()).total).toBe(0);
    const seqs = master.changes.map((c) => c.seq);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);
    expect(master.alteredRedeliveries).toEqual([]);
  });
});
