/**
 * Helpers for the ship's integration tests. The master is being built separately, so these tests
 * play the master themselves on the real broker: they consume ship-updates, verify envelopes with
 * the ship's public key, and publish signed master updates and outcomes with a test master key.
 */
import type { INestApplication } from '@nestjs/common';
import {
  KeyRing,
  MessageKind,
  encodeEnvelope,
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  masterUpdateKey,
  openEnvelope,
  signEnvelope,
  signEnvelopeBatchAsync,
  type ChangeOutcomeDto,
  type EnvelopeOf,
  type MasterUpdateDto,
  type ShipChangeDto,
} from '@offline-sync/sync-core';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTopics, uniqueName } from '../../../../test/harness/test-infra';
import { ShipConfig } from '../core/config/ship-config';
import { createShipApp } from '../ship.app';

export const OPERATOR_KEY = 'operator-secret-0123456789';
export const VIEWER_KEY = 'viewer-secret-0123456789';
export const CREW_KEY = 'crew-secret-0123456789ab';
export const ADMIN_KEY = 'admin-secret-0123456789a';

/** Content types of the tests: `article` has a JSON Schema, `note` is free-form and unlocalised. */
export const TEST_CONTENT_TYPES = JSON.stringify({
  article: {
    policy: 'manual',
    schema: {
      type: 'object',
      properties: {
        title: { type: 'string', minLength: 1, maxLength: 200 },
        body: { type: 'string' },
        n: { type: 'integer' },
      },
      required: ['title'],
      additionalProperties: false,
    },
  },
  note: { localized: false },
});

export interface TestKeys {
  shipPrivate: string;
  shipPublic: string;
  masterPrivate: ReturnType<typeof generateSigningKeyPair>['privateKey'];
  masterPublic: string;
}

export function createTestKeys(): TestKeys {
  const ship = generateSigningKeyPair();
  const master = generateSigningKeyPair();
  return {
    shipPrivate: exportPrivateKeyBase64(ship.privateKey),
    shipPublic: exportPublicKeyBase64(ship.publicKey),
    masterPrivate: master.privateKey,
    masterPublic: exportPublicKeyBase64(master.publicKey),
  };
}

/** A temporary SQLite file for one ship. */
export function tempDatabaseFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'ship-test-')), 'ship.db');
}

/** Environment of a test ship: short intervals, unique topics, the test keys. */
export function shipEnv(
  keys: TestKeys,
  brokers: string[],
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    SYNC_SHIP_ID: 'ship-test',
    SYNC_SIGNING_PRIVATE_KEY: keys.shipPrivate,
    SYNC_MASTER_PUBLIC_KEY: keys.masterPublic,
    SYNC_API_KEYS: `ops:operator:${OPERATOR_KEY},watch:viewer:${VIEWER_KEY},crew:crew:${CREW_KEY},root:admin:${ADMIN_KEY}`,
    SYNC_CONTENT_TYPES: TEST_CONTENT_TYPES,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC_PREFIX: `${uniqueName('ship')}.`,
    // Its own consumer group: suites on a shared broker never rebalance each other.
    KAFKA_CONSUMER_GROUP_SUFFIX: `-${uniqueName('t')}`,
    KAFKA_CONNECTION_TIMEOUT: '1000',
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: tempDatabaseFile(),
    SYNC_DEBOUNCE_MS: '50',
    SYNC_RETRY_ATTEMPTS: '2',
    SYNC_RETRY_DELAY: '100',
    SYNC_CONNECTIVITY_CHECK_INTERVAL: '500',
    SYNC_HEARTBEAT_INTERVAL: '1000',
    LOG_LEVEL: 'error',
    ...overrides,
  };
}

export async function startShip(env: Record<string, string>): Promise<INestApplication> {
  const app = await createShipApp(ShipConfig.fromEnv(env));
  await app.listen(0, '127.0.0.1');
  return app;
}

/** The topics a deployment has (the master normally creates them). */
export async function createShipTopics(config: ShipConfig, brokers: string[]): Promise<void> {
  await createTopics(brokers, [
    { topic: config.topics.shipUpdates },
    { topic: config.topics.heartbeats },
    {
      topic: config.topics.masterUpdates,
      configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
    },
    { topic: config.outcomesTopic },
  ]);
}

/** supertest with the operator key (or none / another one). */
export function api(app: INestApplication, key: string | null = OPERATOR_KEY) {
  const server = app.getHttpServer() as Parameters<typeof request>[0];
  const withKey = (test: request.Test): request.Test => (key ? test.set('X-API-Key', key) : test);
  return {
    get: (url: string) => withKey(request(server).get(url)),
    post: (url: string) => withKey(request(server).post(url)),
    patch: (url: string) => withKey(request(server).patch(url)),
    delete: (url: string) => withKey(request(server).delete(url)),
  };
}

export interface ReceivedEnvelope {
  messageId: string;
  raw: string;
  changes: ShipChangeDto[];
}

/** Plays the master on a real broker. */
export class TestMaster {
  /** Distinct envelopes by messageId, in arrival order. */
  readonly envelopes = new Map<string, ReceivedEnvelope>();
  /** Every delivery, redeliveries included. */
  deliveries = 0;
  /** Redeliveries whose bytes differed from the first delivery (must stay 0). */
  readonly alteredRedeliveries: string[] = [];
  readonly rejected: string[] = [];
  readonly heartbeats: unknown[] = [];
  private readonly kafka: Kafka;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private readonly ring: KeyRing;

  constructor(
    private readonly config: ShipConfig,
    private readonly keys: TestKeys,
    brokers: string[],
  ) {
    this.kafka = new Kafka({
      clientId: uniqueName('test-master'),
      brokers,
      logLevel: logLevel.NOTHING,
    });
    this.ring = KeyRing.fromEntries([[config.shipId, keys.shipPublic]]);
  }

  /** Distinct changes in seq order of arrival. */
  get changes(): ShipChangeDto[] {
    return [...this.envelopes.values()].flatMap((e) => e.changes);
  }

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({
      groupId: uniqueName('test-master'),
      maxWaitTimeInMs: 200,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [this.config.topics.shipUpdates, this.config.topics.heartbeats],
      fromBeginning: true,
    });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        const verdict = openEnvelope(message.value, this.ring);
        if (!verdict.ok) {
          this.rejected.push(`${verdict.reason}: ${verdict.detail}`);
          return;
        }
        const envelope = verdict.envelope;
        if (topic === this.config.topics.heartbeats) {
          if (envelope.kind === MessageKind.Heartbeat) this.heartbeats.push(envelope.payload);
          return;
        }
        if (envelope.kind !== MessageKind.ShipChanges) return;
        this.deliveries += 1;
        const raw = message.value?.toString('utf8') ?? '';
        const seen = this.envelopes.get(envelope.messageId);
        if (seen) {
          if (seen.raw !== raw) this.alteredRedeliveries.push(envelope.messageId);
          return;
        }
        this.envelopes.set(envelope.messageId, {
          messageId: envelope.messageId,
          raw,
          changes: envelope.payload.changes,
        });
        await Promise.resolve();
      },
    });
    this.producer = this.kafka.producer({ idempotent: true });
    await this.producer.connect();
    return this;
  }

  /** Signed as the master does: 128 to a signature, or one by one (`SYNC_BATCH_SIGNING=false`). */
  async publishUpdates(
    updates: MasterUpdateDto[],
    signing: 'batch' | 'each' = 'batch',
  ): Promise<void> {
    await this.producer?.send({
      topic: this.config.topics.masterUpdates,
      messages: (await this.signedUpdates(updates, signing)).map((envelope) => ({
        key: masterUpdateKey(
          envelope.payload.type,
          envelope.payload.documentId,
          envelope.payload.locale,
        ),
        value: encodeEnvelope(envelope),
      })),
    });
  }

  async signedUpdates(
    updates: MasterUpdateDto[],
    signing: 'batch' | 'each' = 'batch',
  ): Promise<EnvelopeOf<MessageKind.MasterUpdate>[]> {
    const drafts = updates.map((payload) => ({
      sender: 'master',
      kind: MessageKind.MasterUpdate as const,
      payload,
    }));
    if (signing === 'each') {
      return drafts.map((draft) => signEnvelope(draft, this.keys.masterPrivate));
    }
    const signed: EnvelopeOf<MessageKind.MasterUpdate>[] = [];
    for (let i = 0; i < drafts.length; i += 128) {
      signed.push(
        ...(await signEnvelopeBatchAsync(drafts.slice(i, i + 128), this.keys.masterPrivate)),
      );
    }
    return signed;
  }

  async publishRaw(topic: string, key: string, value: string): Promise<void> {
    await this.producer?.send({ topic, messages: [{ key, value }] });
  }

  async publishOutcomes(outcomes: ChangeOutcomeDto[]): Promise<void> {
    await this.producer?.send({
      topic: this.config.outcomesTopic,
      messages: [
        {
          key: this.config.shipId,
          value: encodeEnvelope(
            signEnvelope(
              {
                sender: 'master',
                kind: MessageKind.ChangeOutcomes,
                payload: { shipId: this.config.shipId, outcomes },
              },
              this.keys.masterPrivate,
            ),
          ),
        },
      ],
    });
  }

  /** Settles every given change as applied at version 1, in envelopes of 500 outcomes. */
  async applyAll(changes: Iterable<ShipChangeDto>): Promise<void> {
    const outcomes = [...changes].map((change) => ({
      changeId: change.changeId,
      seq: change.seq,
      documentId: change.documentId,
      type: change.type,
      locale: change.locale,
      status: 'applied' as const,
      version: 1,
    }));
    for (let i = 0; i < outcomes.length; i += 500) {
      await this.publishOutcomes(outcomes.slice(i, i + 500));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
  }
}

/** A master update as the master would publish it. */
export function masterUpdate(
  overrides: Partial<MasterUpdateDto> & Pick<MasterUpdateDto, 'documentId' | 'version'>,
): MasterUpdateDto {
  return {
    type: 'article',
    locale: 'en',
    deleted: false,
    data: { title: `v${overrides.version}` },
    author: 'master:editor',
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}
