import { exportPrivateKeyBase64, generateSigningKeyPair } from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Client } from 'pg';
import { generateFleetIdentities, writeShipKeyFile, type SimShipIdentity } from '../fleet-sim';
import { MasterConfig } from '../../apps/master/src/core/config/master-config';
import { freePort } from '../../test/harness/free-port';
import { NodeProcess } from '../../test/harness/node-process';
import {
  createTestDatabase,
  dropTestDatabase,
  startOwnKafka,
  stopOwnKafka,
  type OwnKafkaBroker,
} from '../../test/harness/test-infra';
import { BENCH_CONTENT_TYPES, BENCH_KEY, profileArgs } from './bench-fleet';
import { onInterrupt } from './cleanup';
import { sleep } from './measure';

export interface FleetRigOptions {
  ships: number;
  /** Master replicas, all in one consumer group. Default 2. */
  replicas?: number;
  masterEnv?: Record<string, string>;
}

/**
 * What the fleet scenario runs against: a Kafka broker of its own (so its topics and memory are
 * this fleet's alone), a fresh database, keys for every ship in the master's key file (as an
 * operator configures a fleet) and master replicas as processes in one consumer group.
 */
export class FleetRig {
  private admin: Admin | null = null;
  private pg: Client | null = null;
  private readonly forget = onInterrupt(() => this.stop());

  private constructor(
    readonly broker: OwnKafkaBroker,
    readonly databaseUrl: string,
    readonly dir: string,
    readonly identities: SimShipIdentity[],
    readonly masterPublicKey: KeyObject,
    readonly config: MasterConfig,
    readonly replicas: NodeProcess[],
  ) {}

  static async start(options: FleetRigOptions): Promise<FleetRig> {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-fleet-scale-'));
    // A broker sized as one for thousands of topics is (the quick-start JVM of the tests is not).
    const broker = await startOwnKafka({ env: { KAFKA_JVM: process.env.KAFKA_JVM ?? 'server' } });
    const databaseUrl = await createTestDatabase('bench_fleet');
    const identities = generateFleetIdentities(options.ships, 'ship');
    const keyFile = path.join(dir, 'ship-public-keys.txt');
    writeShipKeyFile(keyFile, identities);
    const masterKeys = generateSigningKeyPair();
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: broker.brokers.join(','),
      KAFKA_TOPIC_PREFIX: 'fleet.',
      SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(masterKeys.privateKey),
      SYNC_SHIP_PUBLIC_KEYS_FILE: keyFile,
      SYNC_API_KEYS: `bench:operator:${BENCH_KEY}`,
      SYNC_CONTENT_TYPES: BENCH_CONTENT_TYPES,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...options.masterEnv,
    };
    const config = MasterConfig.fromEnv(env);
    const replicas: NodeProcess[] = [];
    for (let i = 0; i < (options.replicas ?? 2); i += 1) {
      const name = `master-${String.fromCharCode(97 + i)}`;
      replicas.push(
        new NodeProcess(
          name,
          'master',
          await freePort(),
          env,
          path.join(dir, `${name}.log`),
          undefined,
          profileArgs(name),
        ),
      );
    }
    return new FleetRig(
      broker,
      databaseUrl,
      dir,
      identities,
      masterKeys.publicKey,
      config,
      replicas,
    );
  }

  /** Starts a replica and returns the ms from spawning it until its readiness probe said 200. */
  async startReplica(index: number): Promise<number> {
    const started = Date.now();
    await this.replicas[index].start(180_000);
    return Date.now() - started;
  }

  async kafkaAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = new Kafka({
        brokers: this.broker.brokers,
        clientId: 'fleet-bench-admin',
        logLevel: logLevel.NOTHING,
        // The metadata of thousands of topics on a busy broker takes longer than the default 30 s.
        requestTimeout: 120_000,
      }).admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  /** The master consumer group's state and member count. */
  async group(): Promise<{ state: string; members: number }> {
    const { groups } = await (
      await this.kafkaAdmin()
    ).describeGroups([this.config.consumerGroupId]);
    return { state: groups[0]?.state ?? 'Unknown', members: groups[0]?.members.length ?? 0 };
  }

  /** Polls until the master group is Stable with `members` members; ms waited, null past limit. */
  async untilGroup(members: number, limitMs: number): Promise<number | null> {
    const started = Date.now();
    while (Date.now() - started < limitMs) {
      const group = await this.group().catch(() => null);
      if (group?.state === 'Stable' && group.members === members) return Date.now() - started;
      await sleep(100);
    }
    return null;
  }

  /** Messages of `topic` the master group has not committed yet. */
  async groupLag(topic: string): Promise<number> {
    const admin = await this.kafkaAdmin();
    const [committed] = await admin.fetchOffsets({
      groupId: this.config.consumerGroupId,
      topics: [topic],
    });
    const done = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
    let lag = 0;
    for (const end of await admin.fetchTopicOffsets(topic)) {
      const next = done.get(end.partition) ?? -1;
      lag += Math.max(0, Number(end.high) - (next < 0 ? Number(end.low) : next));
    }
    return lag;
  }

  /** Topics and partitions on the broker. */
  async topicCounts(): Promise<{ topics: number; partitions: number; outcomeTopics: number }> {
    const admin = await this.kafkaAdmin();
    const names = await admin.listTopics();
    let partitions = 0;
    for (let i = 0; i < names.length; i += 1000) {
      const { topics } = await admin.fetchTopicMetadata({ topics: names.slice(i, i + 1000) });
      for (const topic of topics) partitions += topic.partitions.length;
    }
    const outcomes = names.filter((t) => t.startsWith(this.config.topics.outcomesPrefix)).length;
    return { topics: names.length, partitions, outcomeTopics: outcomes };
  }

  async query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!this.pg) {
      this.pg = new Client({ connectionString: this.databaseUrl });
      await this.pg.connect();
    }
    return (await this.pg.query<T>(sql, params)).rows;
  }

  async fleetCounts(): Promise<{ total: number; online: number }> {
    const [row] = await this.query<{ total: number; online: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'online')::int AS online
         FROM ships`,
    );
    return row;
  }

  async stop(): Promise<void> {
    this.forget();
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
    await this.pg?.end().catch(() => undefined);
    this.pg = null;
    await Promise.all(this.replicas.map((r) => r.stop().catch(() => undefined)));
    await stopOwnKafka(this.broker.dataDir).catch(() => undefined);
    await dropTestDatabase(this.databaseUrl).catch(() => undefined);
    if (!process.env.KEEP_BENCH_LOGS) rmSync(this.dir, { recursive: true, force: true });
  }
}
