import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  createMasterClient,
  createShipClient,
  type MasterClient,
  type ShipClient,
} from '@offline-sync/api-client';
import {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
} from '@offline-sync/sync-core';
import { freePort } from './free-port';
import { startLinkedKafka, type LinkedKafka } from './linked-kafka';
import { NodeProcess, buildApps } from './node-process';
import { createTestDatabase, dropTestDatabase, uniqueName } from './test-infra';

export const OPERATOR_KEY = 'operator-key-0123456789';
export const CREW_KEY = 'crew-key-0123456789abc';
export const VIEWER_KEY = 'viewer-key-0123456789a';
export const ADMIN_KEY = 'admin-key-0123456789ab';
const API_KEYS = `operator:operator:${OPERATOR_KEY},crew:crew:${CREW_KEY},viewer:viewer:${VIEWER_KEY},admin:admin:${ADMIN_KEY}`;

export interface FleetOptions {
  ships: string[];
  /** Ships the master knows (keys provisioned) that start only when the test says so. */
  lateShips?: string[];
  /** SYNC_CONTENT_TYPES for every node. */
  contentTypes: string;
  /** Extra environment for every node (e.g. shorter intervals). */
  env?: Record<string, string>;
  /** Extra environment per ship (e.g. a skewed clock for one of them). */
  shipEnv?: Record<string, Record<string, string>>;
  /** Extra environment for the master only. */
  masterEnv?: Record<string, string>;
  /** More broker properties (`name=value`). */
  brokerProperties?: string[];
  /** Build the operator console too (the master serves it at /console). */
  withConsole?: boolean;
}

/** A JSON REST client for one node, authenticated with an API key. */
export class NodeApi {
  constructor(
    private readonly node: NodeProcess,
    private readonly apiKey: string,
  ) {}

  async request<T = unknown>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.node.url}/api${route}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  get<T = unknown>(route: string) {
    return this.request<T>('GET', route);
  }

  post<T = unknown>(route: string, body?: unknown) {
    return this.request<T>('POST', route, body);
  }

  patch<T = unknown>(route: string, body?: unknown) {
    return this.request<T>('PATCH', route, body);
  }

  delete<T = unknown>(route: string) {
    return this.request<T>('DELETE', route);
  }
}

/**
 * A whole fleet as real processes: a broker with one link per ship, PostgreSQL, the master and
 * each ship on its own SQLite file. Tests talk to it through the public REST APIs only.
 */
export class Fleet {
  readonly master: NodeProcess;
  readonly ships: Record<string, NodeProcess> = {};

  private constructor(
    readonly kafka: LinkedKafka,
    readonly topicPrefix: string,
    private readonly databaseUrl: string,
    private readonly dir: string,
    masterEnv: Record<string, string>,
    shipEnvs: Record<string, Record<string, string>>,
    ports: number[],
    private readonly lateShipEnvs: Record<string, Record<string, string>>,
  ) {
    this.master = new NodeProcess(
      'master',
      'master',
      ports[0],
      masterEnv,
      path.join(dir, 'master.log'),
    );
    Object.keys(shipEnvs).forEach((ship, i) => {
      this.ships[ship] = new NodeProcess(
        ship,
        'ship',
        ports[i + 1],
        shipEnvs[ship],
        path.join(dir, `${ship}.log`),
      );
    });
  }

  static async start(options: FleetOptions): Promise<Fleet> {
    buildApps({ withConsole: options.withConsole });
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-'));
    if (process.env.KEEP_FLEET_LOGS) console.log(`Fleet logs and databases: ${dir}`);
    const kafka = await startLinkedKafka(options.ships, options.brokerProperties);
    const databaseUrl = await createTestDatabase('fleet');
    const masterKeys = generateSigningKeyPair();
    const allShips = [...options.ships, ...(options.lateShips ?? [])];
    const shipKeys = Object.fromEntries(allShips.map((s) => [s, generateSigningKeyPair()]));
    const topicPrefix = `${uniqueName('fleet')}.`;
    const common = {
      SYNC_CONTENT_TYPES: options.contentTypes,
      SYNC_API_KEYS: API_KEYS,
      KAFKA_TOPIC_PREFIX: topicPrefix,
      // Its own consumer groups: fleets on a shared broker never rebalance each other.
      KAFKA_CONSUMER_GROUP_SUFFIX: `-${topicPrefix.slice(0, -1)}`,
      LOG_LEVEL: 'info',
      ...options.env,
    };
    const masterEnv = {
      ...common,
      KAFKA_BROKERS: kafka.brokers,
      DATABASE_URL: databaseUrl,
      SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(masterKeys.privateKey),
      SYNC_SHIP_PUBLIC_KEYS: allShips
        .map((s) => `${s}=${exportPublicKeyBase64(shipKeys[s].publicKey)}`)
        .join(','),
      ...options.masterEnv,
    };
    const shipEnv = (ship: string, brokers: string) => ({
      ...common,
      KAFKA_BROKERS: brokers,
      SYNC_SHIP_ID: ship,
      DATABASE_FILENAME: path.join(dir, `${ship}.db`),
      SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(shipKeys[ship].privateKey),
      SYNC_MASTER_PUBLIC_KEY: exportPublicKeyBase64(masterKeys.publicKey),
      ...options.shipEnv?.[ship],
    });
    const shipEnvs = Object.fromEntries(
      options.ships.map((ship) => [ship, shipEnv(ship, kafka.links[ship].brokers)]),
    );
    // A late ship connects to the broker directly: its link is not under test.
    const lateShipEnvs = Object.fromEntries(
      (options.lateShips ?? []).map((ship) => [ship, shipEnv(ship, kafka.brokers)]),
    );
    const ports = await Promise.all([0, ...options.ships].map(() => freePort()));
    const fleet = new Fleet(
      kafka,
      topicPrefix,
      databaseUrl,
      dir,
      masterEnv,
      shipEnvs,
      ports,
      lateShipEnvs,
    );
    await fleet.master.start();
    await Promise.all(Object.values(fleet.ships).map((ship) => ship.start()));
    return fleet;
  }

  api(node: NodeProcess, apiKey = OPERATOR_KEY): NodeApi {
    return new NodeApi(node, apiKey);
  }

  /** The typed client of the master's API (libs/api-client). */
  masterClient(apiKey = OPERATOR_KEY): MasterClient {
    return createMasterClient({ baseUrl: this.master.url, apiKey });
  }

  /** The typed client of a ship's API (libs/api-client). */
  shipClient(ship: string, apiKey = OPERATOR_KEY): ShipClient {
    return createShipClient({ baseUrl: this.ships[ship].url, apiKey });
  }

  /** A node's content checksum, through its typed client. */
  async checksum(node: NodeProcess): Promise<{ checksum: string; documents: number }> {
    const { data, error } =
      node.app === 'master'
        ? await createMasterClient({ baseUrl: node.url, apiKey: OPERATOR_KEY }).GET(
            '/api/offline-sync/checksum',
          )
        : await createShipClient({ baseUrl: node.url, apiKey: OPERATOR_KEY }).GET(
            '/api/offline-sync/checksum',
          );
    if (!data) throw new Error(`checksum of ${node.name}: ${JSON.stringify(error)}`);
    return data;
  }

  /** Topic names as the nodes of this fleet use them. */
  get topics(): { shipUpdates: string; masterUpdates: string } {
    return {
      shipUpdates: `${this.topicPrefix}ship-updates`,
      masterUpdates: `${this.topicPrefix}master-updates`,
    };
  }

  /** Starts a ship that joins the fleet now, with an empty database. */
  async startLateShip(ship: string): Promise<NodeProcess> {
    const env = this.lateShipEnvs[ship];
    if (!env) throw new Error(`${ship} is not one of the fleet's late ships`);
    const node = new NodeProcess(
      ship,
      'ship',
      await freePort(),
      env,
      path.join(this.dir, `${ship}.log`),
    );
    this.ships[ship] = node;
    await node.start();
    return node;
  }

  /** Cuts a ship's link: its process keeps running, its Kafka connections fail. */
  cut(ship: string): void {
    this.kafka.links[ship].proxy.cut();
  }

  restore(ship: string): void {
    this.kafka.links[ship].proxy.restore();
  }

  get logDir(): string {
    return this.dir;
  }

  async stop(): Promise<void> {
    await Promise.all([this.master, ...Object.values(this.ships)].map((node) => node.stop()));
    await this.kafka.stop();
    await dropTestDatabase(this.databaseUrl);
    if (!process.env.KEEP_FLEET_LOGS) rmSync(this.dir, { recursive: true, force: true });
  }
}
