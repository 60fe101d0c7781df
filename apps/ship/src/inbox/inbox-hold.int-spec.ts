import type { INestApplication } from '@nestjs/common';
import {
  MessageKind,
  encodeEnvelope,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  masterUpdateKey,
  signEnvelope,
  type MasterUpdateDto,
} from '@offline-sync/sync-core';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { kafkaBrokers, uniqueName, waitFor } from '../../../../test/harness/test-infra';
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
  VIEWER_KEY,
} from '../testing/ship-test-kit';

interface Hold {
  topic: string;
  partition: number;
  offset: string;
  reason: string;
  detail: string;
  since: string;
}

interface Status {
  appliedPosition: Record<string, string>;
  deadLetters: number;
  inboundHolds?: Hold[];
}

/**
 * A master key rotated before the ship learnt the new key: the ship holds at the first message it
 * cannot verify (nothing after it on that partition is applied, its stored position stays there,
 * health and status name it) instead of dead-lettering it and moving on, and applies it and what
 * follows once restarted with the new key.
 */
describe('ship inbound hold (real Kafka + SQLite)', () => {
  const brokers = kafkaBrokers();
  let keys: TestKeys;
  let env: Record<string, string>;
  let config: ShipConfig;
  let master: TestMaster;
  let producer: Producer;
  let app: INestApplication | undefined;
  const rotated = generateSigningKeyPair();

  beforeAll(async () => {
    keys = createTestKeys();
    env = shipEnv(keys, brokers, { KAFKA_CONSUMER_GROUP_SUFFIX: '-hold' });
    config = ShipConfig.fromEnv(env);
    await createShipTopics(config, brokers);
    master = await new TestMaster(config, keys, brokers).start();
    producer = new Kafka({
      clientId: uniqueName('rotated-master'),
      brokers,
      logLevel: logLevel.NOTHING,
    }).producer({ idempotent: true });
    await producer.connect();
  });

  afterAll(async () => {
    await app?.close();
    await producer?.disconnect();
    await master?.stop();
  });

  /** Signed with the master's new key, as a master rotated before this ship was told. */
  const publishRotated = async (update: MasterUpdateDto): Promise<void> => {
    const envelope = signEnvelope(
      { sender: 'master', kind: MessageKind.MasterUpdate, payload: update },
      rotated.privateKey,
    );
    await producer.send({
      topic: config.topics.masterUpdates,
      messages: [
        {
          key: masterUpdateKey(update.type, update.documentId, update.locale),
          value: encodeEnvelope(envelope),
        },
      ],
    });
  };

  const status = async (): Promise<Status> =>
    (await api(app!).get('/api/offline-sync/status').expect(200)).body as Status;
  const found = async (id: string): Promise<boolean> =>
    (await api(app!).get(`/api/content/article/${id}?locale=en`)).status === 200;

  it('a rotated master key makes the ship hold, then apply after reconfiguration', async () => {
    const [before, signedWithNewKey, after] = [uuidv7(), uuidv7(), uuidv7()];
    await master.publishUpdates([masterUpdate({ documentId: before, version: 1 })]); // offset 0
    await publishRotated(masterUpdate({ documentId: signedWithNewKey, version: 1 })); // offset 1
    await master.publishUpdates([masterUpdate({ documentId: after, version: 1 })], 'each'); // 2

    app = await startShip(env);
    const held = await waitFor(
      async () =>
        (await status()).inboundHolds?.find((h) => h.topic === config.topics.masterUpdates),
      { timeoutMs: 30_000, description: 'the ship holds at the message signed with the new key' },
    );
    expect(held).toMatchObject({ partition: 0, offset: '1', reason: 'unknown-key' });
    expect(Number.isNaN(Date.parse(held.since))).toBe(false);

    // Held, not skipped: the message before it is applied, it and everything after it are not.
    expect(await found(before)).toBe(true);
    expect(await found(signedWithNewKey)).toBe(false);
    expect(await found(after)).toBe(false);
    const whileHeld = await status();
    expect(whileHeld.appliedPosition).toEqual({ '0': '1' });
    expect(whileHeld.deadLetters).toBe(0);

    // Health says so: the detail fails on it, readiness names it without taking the crew's API away.
    const detail = await api(app, VIEWER_KEY).get('/api/offline-sync/health').expect(503);
    expect(JSON.stringify(detail.body)).toContain('unknown-key');
    const ready = await api(app, null).get('/api/offline-sync/health/ready').expect(200);
    expect(JSON.stringify(ready.body)).toContain('unknown-key');

    // The operator adds the master's new key and restarts the ship.
    await app.close();
    app = await startShip({
      ...env,
      SYNC_MASTER_PUBLIC_KEY: `${keys.masterPublic},${exportPublicKeyBase64(rotated.publicKey)}`,
    });
    await waitFor(() => found(after), {
      timeoutMs: 30_000,
      description: 'the held message and the one after it applied',
    });
    expect(await found(signedWithNewKey)).toBe(true);
    const released = await status();
    expect(released.appliedPosition).toEqual({ '0': '3' });
    expect(released.inboundHolds).toEqual([]);
    expect(released.deadLetters).toBe(0);
  });

  it('an outcome signed with a key the ship lacks holds the outcome topic until it has the key', async () => {
    const third = generateSigningKeyPair();
    const created = (
      await api(app!)
        .post('/api/content/article')
        .send({ data: { title: 'Crew' }, locale: 'en' })
        .expect(201)
    ).body as { id: string };
    const change = await waitFor(() => master.changes.find((c) => c.documentId === created.id), {
      timeoutMs: 30_000,
      description: 'the crew change at the master',
    });
    const outcome = {
      changeId: change.changeId,
      seq: change.seq,
      documentId: change.documentId,
      type: change.type,
      locale: change.locale,
      status: 'applied' as const,
      version: 1,
    };
    await producer.send({
      topic: config.outcomesTopic,
      messages: [
        {
          key: config.shipId,
          value: encodeEnvelope(
            signEnvelope(
              {
                sender: 'master',
                kind: MessageKind.ChangeOutcomes,
                payload: { shipId: config.shipId, outcomes: [outcome] },
              },
              third.privateKey,
            ),
          ),
        },
      ],
    });
    const held = await waitFor(
      async () => (await status()).inboundHolds?.find((h) => h.topic === config.outcomesTopic),
      { timeoutMs: 30_000, description: 'the ship holds at the outcome' },
    );
    expect(held).toMatchObject({ partition: 0, offset: '0', reason: 'unknown-key' });
    const pending = (
      await api(app!).get(`/api/content/article/${created.id}?locale=en`).expect(200)
    ).body as { sync: { state: string } };
    expect(pending.sync.state).toBe('pending');

    await app!.close();
    app = await startShip({
      ...env,
      SYNC_MASTER_PUBLIC_KEY: [keys.masterPublic, rotated.publicKey, third.publicKey]
        .map((key) => (typeof key === 'string' ? key : exportPublicKeyBase64(key)))
        .join(','),
    });
    await waitFor(
      async () =>
        (
          (await api(app!).get(`/api/content/article/${created.id}?locale=en`).expect(200))
            .body as { sync: { state: string } }
        ).sync.state === 'synced',
      { timeoutMs: 30_000, description: 'the held outcome settled the change' },
    );
    expect((await status()).inboundHolds).toEqual([]);
  });
});
