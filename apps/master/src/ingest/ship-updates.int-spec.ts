import type { INestApplication } from '@nestjs/common';
import {
  MessageKind,
  encodeEnvelope,
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  signEnvelope,
  type ShipChangesPayloadDto,
} from '@offline-sync/sync-core';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  createKafka,
  createTestDatabase,
  dropTestDatabase,
  kafkaBrokers,
  uniqueName,
  waitFor,
} from '../../../../test/harness/test-infra';
import { MasterConfig } from '../core/config/master-config';
import { createMasterApp } from '../master.app';

/**
 * The foundation through the real stack: signed ship envelopes produced to a real Kafka broker,
 * consumed by the master through the Nest batch transport (ValidationPipe included), verified and
 * stored in a real PostgreSQL; rejected messages become dead letters with their reasons while
 * the flow continues behind them.
 */
describe('ship-updates ingest (real Kafka + PostgreSQL)', () => {
  const shipKeys = generateSigningKeyPair();
  const strangerKeys = generateSigningKeyPair();
  let databaseUrl: string;
  let config: MasterConfig;
  let app: INestApplication;
  let producer: Producer;
  let db: Client;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('ingest');
    config = MasterConfig.fromEnv({
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: `${uniqueName('ingest')}.`,
      KAFKA_CONSUMER_GROUP_SUFFIX: `-${uniqueName('t')}`,
      KAFKA_SHIP_UPDATES_PARTITIONS: '2',
      SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(generateSigningKeyPair().privateKey),
      SYNC_SHIP_PUBLIC_KEYS: `ship-a=${exportPublicKeyBase64(shipKeys.publicKey)}`,
      LOG_LEVEL: 'warn',
    });
    app = await createMasterApp(config);
    await app.init();
    producer = createKafka('ingest-test').producer({ idempotent: true });
    await producer.connect();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    await db?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  function change(seq: number, title: string): ShipChangesPayloadDto {
    return {
      changes: [
        {
          changeId: uuidv7(),
          seq,
          op: 'create',
          type: 'article',
          documentId: uuidv7(),
          locale: 'en',
          baseVersion: 0,
          fields: { title },
          editedAt: new Date().toISOString(),
        },
      ],
    };
  }

  function signed(sender: string, payload: ShipChangesPayloadDto, keys = shipKeys) {
    return signEnvelope({ sender, kind: MessageKind.ShipChanges, payload }, keys.privateKey);
  }

  it('stores verified envelopes, dead-letters the rest with their reasons, and keeps going', async () => {
    const first = signed('ship-a', change(1, 'first'));
    const tampered = signed('ship-a', change(2, 'original'));
    (tampered.payload.changes[0].fields as { title: string }).title = 'forged';
    const stranger = signed('ship-z', change(1, 'from an unknown ship'), strangerKeys);
    const impostor = signed('ship-a', change(3, 'signed with the wrong key'), strangerKeys);
    const last = signed('ship-a', change(4, 'last'));

    await producer.send({
      topic: config.topics.shipUpdates,
      messages: [
        { key: 'ship-a', value: encodeEnvelope(first) },
        { key: 'ship-a', value: encodeEnvelope(tampered) },
        { key: 'ship-a', value: '{"this is": not json' },
        { key: 'ship-a', value: '[1, 2, 3]' },
        { key: 'ship-z', value: encodeEnvelope(stranger) },
        { key: 'ship-a', value: encodeEnvelope(impostor) },
        { key: 'ship-a', value: encodeEnvelope(last) },
      ],
    });

    const stored = await waitFor(
      async () => {
        const { rows } = await db.query<{ message_id: string }>(
          'SELECT message_id FROM processed_envelopes ORDER BY sent_at',
        );
        return rows.length === 2 ? rows : undefined;
      },
      { timeoutMs: 60_000, description: 'both valid envelopes in processed_envelopes' },
    );
    expect(stored.map((r) => r.message_id).sort()).toEqual(
      [first.messageId, last.messageId].sort(),
    );

    const deadLetters = await waitFor(
      async () => {
        const { rows } = await db.query<{ reason: string; detail: string; sender: string | null }>(
          'SELECT reason, detail, sender FROM dead_letters ORDER BY "offset"',
        );
        return rows.length === 5 ? rows : undefined;
      },
      { timeoutMs: 30_000, description: 'five dead letters' },
    );
    // The impostor's envelope names its own key, which ship-a never had: unknown-key.
    expect(deadLetters.map((d) => d.reason).sort()).toEqual(
      ['bad-signature', 'unknown-key', 'invalid-message', 'malformed', 'unknown-sender'].sort(),
    );
    // The ValidationPipe reached the Kafka handler: the array value was refused by it, by field.
    expect(deadLetters.find((d) => d.reason === 'invalid-message')?.detail).toMatch(
      /messages\[0\]\.value: must be a JSON object/,
    );
    expect(deadLetters.find((d) => d.reason === 'malformed')?.detail).toMatch(/not JSON/);
    expect(deadLetters.find((d) => d.reason === 'unknown-sender')?.sender).toBe('ship-z');
  });

  it('applies a redelivered envelope once', async () => {
    const envelope = signed('ship-a', change(5, 'twice'));
    const before = await db.query('SELECT count(*)::int AS n FROM processed_envelopes');
    await producer.send({
      topic: config.topics.shipUpdates,
      messages: [
        { key: 'ship-a', value: encodeEnvelope(envelope) },
        { key: 'ship-a', value: encodeEnvelope(envelope) },
      ],
    });
    await waitFor(
      async () => {
        const { rows } = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM processed_envelopes WHERE message_id = $1',
          [envelope.messageId],
        );
        return rows[0].n === 1 ? true : undefined;
      },
      { timeoutMs: 30_000, description: 'the redelivered envelope stored once' },
    );
    const after = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM processed_envelopes',
    );
    expect(after.rows[0].n).toBe((before.rows[0] as { n: number }).n + 1);
  });
});
