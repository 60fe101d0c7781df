import {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
} from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../test/harness/free-port';
import { onInterrupt } from './cleanup';
import type { LinkProxy } from '../../test/harness/link-proxy';
import { startLinkedKafka, type LinkedKafka } from '../../test/harness/linked-kafka';
import { NodeProcess } from '../../test/harness/node-process';
import { createTestDatabase, dropTestDatabase, uniqueName } from '../../test/harness/test-infra';

export const BENCH_KEY = 'bench-operator-key-0123456789';

/** One content type without a schema; `manual` so concurrent edits become conflicts. */
export const BENCH_CONTENT_TYPES = JSON.stringify({
  item: { localized: false, policy: 'manual' },
});

export interface BenchFleetOptions {
  /** Ships started with the fleet, each behind its own link. */
  ships: string[];
  /** Ships provisioned on the master (and given a link) that start when the scenario says so. */
  lateShips?: string[];
  /** Environment for every node. */
  env?: Record<string, string>;
  /**
   * Ships the master knows (keys provisioned) that never run as processes: the benchmark sends
   * signed envelopes in their name straight to Kafka (see envelope-seeder.ts).
   */
  virtualShips?: string[];
  /** Extra environment per ship. */
  shipEnv?: Record<string, Record<string, string>>;
  masterEnv?: Record<string, string>;
  /** The master's compiled entry point when not the current build (comparing two builds). */
  masterEntry?: string;
}

/**
 * A master and ships as real processes (the end-to-end harness's pieces: a linked broker of its
 * own, one link proxy per ship, a fresh PostgreSQL database), plus what a benchmark needs to
 * observe without disturbing them: the master's database and each ship's link counters.
 */
export class BenchFleet {
  readonly ships: Record<string, NodeProcess> = {};
  private pg: Client | null = null;
  private readonly forget = onInterrupt(() => this.stop());

  private constructor(
    readonly kafka: LinkedKafka,
    readonly master: NodeProcess,
    readonly databaseUrl: string,
    readonly dir: string,
    readonly topicPrefix: string,
    private readonly shipEnvs: Record<string, Record<string, string>>,
    private readonly shipKeys: Record<string, { privateKey: KeyObject }>,
  ) {}

  /** The signing key of a provisioned ship (for sending envelopes in a virtual ship's name). */
  privateKey(ship: string): KeyObject {
    return this.shipKeys[ship].privateKey;
  }

  static async start(options: BenchFleetOptions): Promise<BenchFleet> {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-fleet-'));
    const allShips = [...options.ships, ...(options.lateShips ?? [])];
    const kafka = await startLinkedKafka(allShips);
    const provisioned = [...allShips, ...(options.virtualShips ?? [])];
    const databaseUrl = await createTestDatabase('bench');
    const masterKeys = generateSigningKeyPair();
    const shipKeys = Object.fromEntries(provisioned.map((s) => [s, generateSigningKeyPair()]));
    const topicPrefix = `${uniqueName('bench')}.`;
    const common = {
      SYNC_CONTENT_TYPES: BENCH_CONTENT_TYPES,
      SYNC_API_KEYS: `bench:operator:${BENCH_KEY}`,
      KAFKA_TOPIC_PREFIX: topicPrefix,
      // BENCH_LOG_LEVEL=info (or debug) shows what each node did, with KEEP_BENCH_LOGS=1 to keep it.
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      // The Kafka client library every node runs on (bench/kafka-clients.ts compares them).
      ...(process.env.KAFKA_CLIENT ? { KAFKA_CLIENT: process.env.KAFKA_CLIENT } : {}),
      ...options.env,
    };
    const masterEnv = {
      ...common,
      KAFKA_BROKERS: kafka.brokers,
      DATABASE_URL: databaseUrl,
      SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(masterKeys.privateKey),
      SYNC_SHIP_PUBLIC_KEYS: provisioned
        .map((s) => `${s}=${exportPublicKeyBase64(shipKeys[s].publicKey)}`)
        .join(','),
      ...options.masterEnv,
    };
    const shipEnvs = Object.fromEntries(
      allShips.map((ship) => [
        ship,
        {
          ...common,
          KAFKA_BROKERS: kafka.links[ship].brokers,
          SYNC_SHIP_ID: ship,
          DATABASE_FILENAME: path.join(dir, `${ship}.db`),
          SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(shipKeys[ship].privateKey),
          SYNC_MASTER_PUBLIC_KEY: exportPublicKeyBase64(masterKeys.publicKey),
          ...options.shipEnv?.[ship],
        },
      ]),
    );
    const master = new NodeProcess(
      'master',
      'master',
      await freePort(),
      masterEnv,
      path.join(dir, 'master.log'),
      options.masterEntry,
      profileArgs('master'),
    );
    const fleet = new BenchFleet(kafka, master, databaseUrl, dir, topicPrefix, shipEnvs, shipKeys);
    try {
      await master.start(120_000);
      for (const ship of options.ships) await fleet.startShip(ship);
    } catch (error) {
      process.env.KEEP_BENCH_LOGS = '1';
      await fleet.stop();
      throw error;
    }
    return fleet;
  }

  async startShip(ship: string): Promise<NodeProcess> {
    const node =
      this.ships[ship] ??
      new NodeProcess(
        ship,
        'ship',
        await freePort(),
        this.shipEnvs[ship],
        path.join(this.dir, `${ship}.log`),
        undefined,
        profileArgs(ship),
      );
    this.ships[ship] = node;
    await node.start(120_000);
    return node;
  }

  shipDbFile(ship: string): string {
    return this.shipEnvs[ship].DATABASE_FILENAME;
  }

  link(ship: string): LinkProxy {
    return this.kafka.links[ship].proxy;
  }

  /** Read-only queries on the master's database (counts of committed changes). */
  async query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!this.pg) {
      this.pg = new Client({ connectionString: this.databaseUrl });
      await this.pg.connect();
    }
    return (await this.pg.query<T>(sql, params)).rows;
  }

  /** Changes of `ship` the master has committed (one outcome row each). */
  async committed(ship?: string): Promise<number> {
    const rows = ship
      ? await this.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM change_outcomes WHERE ship_id = $1',
          [ship],
        )
      : await this.query<{ n: number }>('SELECT count(*)::int AS n FROM change_outcomes');
    return rows[0].n;
  }

  async stop(): Promise<void> {
    this.forget();
    await this.pg?.end().catch(() => undefined);
    await Promise.all(
      [this.master, ...Object.values(this.ships)].map((node) => node.stop().catch(() => undefined)),
    );
    await this.kafka.stop();
    await dropTestDatabase(this.databaseUrl).catch(() => undefined);
    if (!process.env.KEEP_BENCH_LOGS) rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * BENCH_CPU_PROF=<dir>: every node writes a V8 CPU profile (open in Chrome DevTools) under
 * <dir>/<node> when it stops, to see where a scenario spends its time.
 */
export function profileArgs(node: string): string[] {
  const target = process.env.BENCH_CPU_PROF;
  return target ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(target, node)}`] : [];
}
