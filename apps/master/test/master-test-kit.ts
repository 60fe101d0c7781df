/**
 * Test kit of the master's integration suites: the tests play the ships. They sign ship-changes
 * with ship keys, produce them to the real ship-updates topic, and read what the master publishes
 * (master-updates, each ship's outcomes) with their own kafkajs consumer, verifying signatures.
 */
import type { INestApplication } from '@nestjs/common';
import {
  KeyRing,
  MessageKind,
  encodeEnvelope,
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  outcomesTopicFor,
  signEnvelope,
  verifyEnvelope,
  type ChangeOutcomeDto,
  type EnvelopeOf,
  type HeartbeatDto,
  type MasterUpdateDto,
  type ShipChangeDto,
  type ShipChangeOp,
} from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Consumer, Producer } from 'kafkajs';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import {
  createKafka,
  createTopics,
  kafkaBrokers,
  uniqueName,
  waitFor,
} from '../../../test/harness/test-infra';
import { MasterConfig } from '../src/core/config/master-config';

export type KeyPair = { privateKey: KeyObject; publicKey: KeyObject };

export const API_KEYS = {
  operator: 'alice-operator-secret-0001',
  viewer: 'victor-viewer-secret-00001',
  admin: 'adam-admin-secret-00000001',
  crew: 'carla-crew-secret-0000001',
};

/** Article has a schema and the default manual policy; page merges fields; setting is unlocalised. */
export const CONTENT_TYPES = JSON.stringify({
  article: {
    policy: 'manual',
    schema: {
      type: 'object',
      properties: {
        title: { type: 'string', maxLength: 200 },
        body: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
  },
  page: { policy: 'field-merge' },
  note: { policy: 'last-write-wins' },
  setting: { policy: 'manual', localized: false },
});

export interface Fleet {
  masterKeys: KeyPair;
  ships: Map<string, KeyPair>;
  env: Record<string, string>;
  config: MasterConfig;
}

/** Keys for the master and the named ships, and a validated config on a fresh topic prefix. */
export function createFleet(
  databaseUrl: string,
  shipIds: string[],
  extraEnv: Record<string, string> = {},
): Fleet {
  const masterKeys = generateSigningKeyPair();
  const ships = new Map(shipIds.map((id) => [id, generateSigningKeyPair()]));
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_TOPIC_PREFIX: `${uniqueName('master')}.`,
    // Its own consumer group: suites on a shared broker never rebalance each other.
    KAFKA_CONSUMER_GROUP_SUFFIX: `-${uniqueName('t')}`,
    KAFKA_SHIP_UPDATES_PARTITIONS: '2',
    SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(masterKeys.privateKey),
    SYNC_SHIP_PUBLIC_KEYS: [...ships]
      .map(([id, keys]) => `${id}=${exportPublicKeyBase64(keys.publicKey)}`)
      .join(','),
    SYNC_API_KEYS: `alice:operator:${API_KEYS.operator},victor:viewer:${API_KEYS.viewer},adam:admin:${API_KEYS.admin},carla:crew:${API_KEYS.crew}`,
    SYNC_CONTENT_TYPES: CONTENT_TYPES,
    SYNC_RETRY_DELAY: '200',
    SYNC_RETRY_ATTEMPTS: '2',
    SYNC_OUTBOX_POLL_INTERVAL: '200',
    LOG_LEVEL: process.env.TEST_MASTER_LOG_LEVEL ?? 'error',
    // No console unless a suite gives one: routes do not depend on what was built before.
    CONSOLE_DIR: path.join(tmpdir(), 'offline-sync-no-console'),
    ...extraEnv,
  };
  return { masterKeys, ships, env, config: MasterConfig.fromEnv(env) };
}

export interface ChangeSpec {
  op?: ShipChangeOp;
  type?: string;
  documentId: string;
  locale?: string;
  baseVersion?: number;
  fields?: Record<string, unknown>;
  editedAt?: string;
}

/** One ship as the tests play it: numbers its changes and signs its envelopes. */
export class TestShip {
  private seq = 0;
  private heartbeatSeq = 0;

  constructor(
    readonly id: string,
    private readonly keys: KeyPair,
    private readonly producer: Producer,
    private readonly config: MasterConfig,
  ) {}

  change(spec: ChangeSpec): ShipChangeDto {
    const op = spec.op ?? 'update';
    this.seq += 1;
    return {
      changeId: uuidv7(),
      seq: this.seq,
      op,
      type: spec.type ?? 'article',
      documentId: spec.documentId,
      locale: spec.locale ?? 'en',
      baseVersion: op === 'create' ? 0 : (spec.baseVersion ?? 0),
      fields: op === 'delete' ? {} : (spec.fields ?? {}),
      editedAt: spec.editedAt ?? new Date().toISOString(),
    };
  }

  envelope(changes: ShipChangeDto[]): EnvelopeOf<MessageKind.ShipChanges> {
    return signEnvelope(
      { sender: this.id, kind: MessageKind.ShipChanges, payload: { changes } },
      this.keys.privateKey,
    );
  }

  async send(...envelopes: object[]): Promise<void> {
    await this.producer.send({
      topic: this.config.topics.shipUpdates,
      messages: envelopes.map((envelope) => ({ key: this.id, value: encodeEnvelope(envelope) })),
    });
  }

  /** Signs the changes as one envelope and sends it; returns the changes. */
  async push(...specs: ChangeSpec[]): Promise<ShipChangeDto[]> {
    const changes = specs.map((spec) => this.change(spec));
    await this.send(this.envelope(changes));
    return changes;
  }

  async heartbeat(partial: Partial<HeartbeatDto> = {}): Promise<void> {
    this.heartbeatSeq = Math.max(this.heartbeatSeq + 1, Date.now());
    const payload: HeartbeatDto = {
      shipId: this.id,
      sentAt: new Date().toISOString(),
      sequence: this.heartbeatSeq,
      appVersion: '1.2.3',
      queueDepth: 0,
      failedCount: 0,
      oldestPendingAgeMs: null,
      appliedPosition: {},
      online: true,
      ...partial,
    };
    await this.producer.send({
      topic: this.config.topics.heartbeats,
      messages: [
        {
          key: this.id,
          value: encodeEnvelope(
            signEnvelope(
              { sender: this.id, kind: MessageKind.Heartbeat, payload },
              this.keys.privateKey,
            ),
          ),
        },
      ],
    });
  }
}

/**
 * Reads master-updates and the ships' outcome topics as the ships would, keeping every verified
 * message. Outcome topics are created up front (the master finds them existing), so one consumer
 * reads them all from the beginning.
 */
export class MasterOutput {
  readonly updates: MasterUpdateDto[] = [];
  readonly outcomes = new Map<string, ChangeOutcomeDto[]>();
  readonly rejected: string[] = [];
  private consumer: Consumer | null = null;

  constructor(
    private readonly config: MasterConfig,
    private readonly masterKeys: KeyPair,
  ) {}

  async start(shipIds: string[]): Promise<void> {
    const outcomeTopics = shipIds.map((id) => outcomesTopicFor(this.config.topics, id));
    await createTopics(kafkaBrokers(), [
      {
        topic: this.config.topics.masterUpdates,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
      ...outcomeTopics.map((topic) => ({ topic })),
    ]).catch(() => false);
    const ring = KeyRing.fromEntries([['master', this.masterKeys.publicKey]]);
    const consumer = createKafka(uniqueName('ship-reader')).consumer({
      groupId: uniqueName('ship-reader'),
      maxWaitTimeInMs: 200,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: [this.config.topics.masterUpdates, ...outcomeTopics],
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const verdict = verifyEnvelope(JSON.parse(message.value?.toString('utf8') ?? 'null'), ring);
        if (!verdict.ok) {
          this.rejected.push(`${verdict.reason}: ${verdict.detail}`);
          return;
        }
        const envelope = verdict.envelope;
        if (envelope.kind === MessageKind.MasterUpdate) this.updates.push(envelope.payload);
        if (envelope.kind === MessageKind.ChangeOutcomes) {
          const list = this.outcomes.get(envelope.payload.shipId) ?? [];
          list.push(...envelope.payload.outcomes);
          this.outcomes.set(envelope.payload.shipId, list);
        }
        await Promise.resolve();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** All outcomes received for one change, oldest first. */
  outcomesOf(shipId: string, changeId: string): ChangeOutcomeDto[] {
    return (this.outcomes.get(shipId) ?? []).filter((o) => o.changeId === changeId);
  }

  async outcome(
    shipId: string,
    changeId: string,
    accept: (outcome: ChangeOutcomeDto) => boolean = () => true,
  ): Promise<ChangeOutcomeDto> {
    return waitFor(() => this.outcomesOf(shipId, changeId).filter(accept).at(-1), {
      timeoutMs: 30_000,
      description: `an outcome for ${shipId} change ${changeId}`,
    });
  }

  /** The newest master update of a document, as a ship applying by version keeps it. */
  latest(documentId: string, locale = 'en'): MasterUpdateDto | undefined {
    return this.updates
      .filter((u) => u.documentId === documentId && u.locale === locale)
      .sort((a, b) => a.version - b.version)
      .at(-1);
  }

  async update(documentId: string, version: number, locale = 'en'): Promise<MasterUpdateDto> {
    return waitFor(
      () =>
        this.updates.find(
          (u) => u.documentId === documentId && u.locale === locale && u.version === version,
        ),
      { timeoutMs: 30_000, description: `master update v${version} of ${documentId}/${locale}` },
    );
  }
}

export function createShips(fleet: Fleet, producer: Producer): Map<string, TestShip> {
  return new Map(
    [...fleet.ships].map(([id, keys]) => [id, new TestShip(id, keys, producer, fleet.config)]),
  );
}

/** Supertest against the app with an API key of the given role. */
export function api(app: INestApplication, role: keyof typeof API_KEYS | null = 'operator') {
  const server = app.getHttpServer() as Parameters<typeof request>[0];
  const withKey = (test: request.Test): request.Test =>
    role === null ? test : test.set('X-API-Key', API_KEYS[role]);
  return {
    get: (path: string) => withKey(request(server).get(path)),
    post: (path: string, body?: object) => withKey(request(server).post(path).send(body)),
    patch: (path: string, body?: object) => withKey(request(server).patch(path).send(body)),
    delete: (path: string) => withKey(request(server).delete(path)),
  };
}

export function newDocumentId(): string {
  return uuidv7();
}

/** A response body with the type the API documents (supertest types it as any). */
export function body<T>(res: { body: unknown }): T {
  return res.body as T;
}

export interface ErrorBody {
  errors: Array<{ field: string; reason: string }>;
}
