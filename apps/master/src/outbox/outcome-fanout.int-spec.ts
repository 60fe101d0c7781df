import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  KeyRing,
  MessageKind,
  verifyEnvelope,
  type ChangeOutcomeDto,
  type EnvelopePublisher,
} from '@offline-sync/sync-core';
import type { Consumer, Producer } from 'kafkajs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  createKafka,
  createTestDatabase,
  dropTestDatabase,
  uniqueName,
  waitFor,
} from '../../../../test/harness/test-infra';
import { createFleet, type Fleet } from '../../test/master-test-kit';
import { createMasterApp } from '../master.app';
import { MASTER_PUBLISHER } from './master-publisher.provider';
import { OutcomeSender } from './outcome-sender';

const SHIPS = Array.from({ length: 60 }, (_, i) => `ship-${String(i).padStart(2, '0')}`);

/**
 * Outcomes go to one topic per ship, so the rows of one relay pass are a few for each of many
 * topics. They leave in produce requests across topics (the master creating the topics it lacks
 * in one go), not in a request per topic: a round trip each would make a fleet's outcomes wait
 * behind one another.
 */
describe('outcomes for many ships (real Kafka + PostgreSQL)', () => {
  let databaseUrl: string;
  let fleet: Fleet;
  let app: INestApplication;
  let consumer: Consumer | null = null;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('outcome_fanout');
    fleet = createFleet(databaseUrl, SHIPS);
    app = await createMasterApp(fleet.config);
    await app.init();
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await app?.close();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  function outcome(seq: number): ChangeOutcomeDto {
    return {
      changeId: uuidv7(),
      seq,
      documentId: uuidv7(),
      type: 'article',
      locale: 'en',
      status: 'applied',
      version: 1,
    };
  }

  it('sends one outcome to each of 60 ship topics in one produce request, each to its ship', async () => {
    const producer = await app.get<EnvelopePublisher>(MASTER_PUBLISHER).connect();
    const requests: string[][] = [];
    const outcomeTopic = (topic: string): boolean =>
      topic.startsWith(fleet.config.topics.outcomesPrefix);
    const send = producer.send.bind(producer);
    jest.spyOn(producer, 'send').mockImplementation((record: Parameters<Producer['send']>[0]) => {
      if (outcomeTopic(record.topic)) requests.push([record.topic]);
      return send(record);
    });
    const sendBatch = producer.sendBatch.bind(producer);
    jest
      .spyOn(producer, 'sendBatch')
      .mockImplementation((batch: Parameters<Producer['sendBatch']>[0]) => {
        const topics = (batch.topicMessages ?? []).map((t) => t.topic).filter(outcomeTopic);
        if (topics.length > 0) requests.push(topics);
        return sendBatch(batch);
      });

    // One transaction, as one ingest slice writes them: one relay pass takes them all.
    const expected = new Map(SHIPS.map((ship, i) => [ship, outcome(i + 1)]));
    await app
      .get<DataSource>(getDataSourceToken())
      .transaction((manager) =>
        app.get(OutcomeSender).queue(manager, new Map([...expected].map(([s, o]) => [s, [o]]))),
      );
    const db = app.get<DataSource>(getDataSourceToken());
    await waitFor(
      async () => {
        const [row] = await db.query<[{ n: number }]>(
          `SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`,
        );
        return row.n === 0;
      },
      { timeoutMs: 60_000, description: 'every outcome row sent' },
    );
    expect(requests).toHaveLength(1);
    expect(requests[0].sort()).toEqual(
      SHIPS.map((ship) => `${fleet.config.topics.outcomesPrefix}${ship}`).sort(),
    );

    // Each ship's topic holds its own outcome, signed by the master.
    const ring = KeyRing.fromEntries([['master', fleet.masterKeys.publicKey]]);
    const received = new Map<string, ChangeOutcomeDto[]>();
    consumer = createKafka(uniqueName('fanout-reader')).consumer({
      groupId: uniqueName('fanout-reader'),
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: requests[0], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const verdict = verifyEnvelope(JSON.parse(message.value?.toString() ?? 'null'), ring);
        if (verdict.ok && verdict.envelope.kind === MessageKind.ChangeOutcomes) {
          const { shipId, outcomes } = verdict.envelope.payload;
          expect(topic).toBe(`${fleet.config.topics.outcomesPrefix}${shipId}`);
          received.set(shipId, outcomes);
        }
        await Promise.resolve();
      },
    });
    await waitFor(() => received.size === SHIPS.length, {
      timeoutMs: 60_000,
      description: `outcomes read from ${SHIPS.length} topics`,
    });
    for (const [ship, sent] of expected) {
      expect(received.get(ship)).toEqual([expect.objectContaining(sent)]);
    }
  }, 120_000);

  it('sends outcomes while the master updates wait (each in its own relay lane)', async () => {
    const db = app.get<DataSource>(getDataSourceToken());
    // Another replica in the middle of a long master-updates pass: it holds that lane's lock.
    const other = new Client({ connectionString: databaseUrl });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock(727002)');
      await db.query(
        `INSERT INTO outbox (kind, message_id, topic, key, payload)
         VALUES ('master-update', gen_random_uuid(), $1, 'article/x/en', '{}')`,
        [fleet.config.topics.masterUpdates],
      );
      await db.transaction((manager) =>
        app
          .get(OutcomeSender)
          .queue(manager, new Map(SHIPS.slice(0, 5).map((ship, i) => [ship, [outcome(100 + i)]]))),
      );
      const pending = async (kind: string): Promise<number> => {
        const [row] = await db.query<[{ n: number }]>(
          `SELECT count(*)::int AS n FROM outbox WHERE status = 'pending' AND kind = $1`,
          [kind],
        );
        return row.n;
      };
      await waitFor(async () => (await pending('change-outcomes')) === 0, {
        timeoutMs: 30_000,
        description: 'the outcomes sent',
      });
      expect(await pending('master-update')).toBe(1);
    } finally {
      await other.end();
    }
  }, 60_000);
});
