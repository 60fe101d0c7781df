/**
 * Helpers for integration tests. The broker and the database are real (started by
 * ./global-setup.ts, or given by KAFKA_BROKERS / DATABASE_URL); tests isolate themselves with
 * unique topic names, consumer groups and databases instead of cleaning shared state.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { inspect } from 'node:util';
import { ITopicConfig, Kafka, KafkaConfig, logLevel, type SASLOptions } from 'kafkajs';
import * as path from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT, runScript } from './infra';

// ------------------------------------------------------------------------------------ endpoints

/** Broker addresses from KAFKA_BROKERS ("host:port[,host:port...]"). */
export function kafkaBrokers(): string[] {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
  if (brokers.length === 0) {
    throw new Error(
      'KAFKA_BROKERS is not set: run integration tests with `jest --selectProjects integration` ' +
        '(its global setup starts Kafka) or export KAFKA_BROKERS',
    );
  }
  return brokers;
}

/** The admin connection URL of the test PostgreSQL cluster (DATABASE_URL). */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: run integration tests with `jest --selectProjects integration` ' +
        '(its global setup starts PostgreSQL) or export DATABASE_URL',
    );
  }
  return url;
}

const LOG_LEVELS: Record<string, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

/**
 * A kafkajs client for the test broker. kafkajs logs retried coordinator errors as ERROR on a
 * fresh broker, so logging is off unless TEST_KAFKA_LOG_LEVEL=error|warn|info|debug.
 */
export function createKafka(clientId: string, config: Omit<KafkaConfig, 'brokers'> = {}): Kafka {
  const level = LOG_LEVELS[(process.env.TEST_KAFKA_LOG_LEVEL ?? 'nothing').toLowerCase()];
  return new Kafka({
    clientId,
    brokers: kafkaBrokers(),
    logLevel: level ?? logLevel.NOTHING,
    ...config,
  });
}

// ------------------------------------------------------------------------------------ names

/** `<prefix><sep><time><sep><random>`: unique across workers, runs and re-runs. */
export function uniqueName(prefix: string, separator = '-'): string {
  const time = Date.now().toString(36);
  const random = randomBytes(4).toString('hex');
  return `${prefix}${separator}${time}${separator}${random}`;
}

/**
 * Unique topic names for one test, sharing one token:
 *   const t = uniqueTopicNames('ship-sync', ['outbox', 'inbox']);
 *   t.outbox === 'ship-sync.lq3k2a9x-1f2e3d4c.outbox'
 * Without keys: `{ topic }`.
 */
export function uniqueTopicNames(prefix: string): Readonly<Record<'topic', string>>;
export function uniqueTopicNames<const K extends string>(
  prefix: string,
  keys: readonly K[],
): Readonly<Record<K, string>>;
export function uniqueTopicNames(
  prefix: string,
  keys: readonly string[] = ['topic'],
): Readonly<Record<string, string>> {
  // Kafka topic names: [a-zA-Z0-9._-], at most 249 characters.
  const clean = (part: string): string => part.replace(/[^a-zA-Z0-9._-]/g, '-');
  const base = uniqueName(clean(prefix).slice(0, 120), '.').replace(/\.(?=[^.]*$)/, '-');
  const names: Record<string, string> = {};
  for (const key of keys) names[key] = `${base}.${clean(key)}`.slice(0, 249);
  return Object.freeze(names);
}

// ------------------------------------------------------------------------------------ kafka

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  configEntries?: ITopicConfig['configEntries'];
}

/**
 * Creates topics (replication factor 1) and returns once every partition has a leader, so the
 * first produce does not race topic creation. Resolves false when a topic already existed.
 */
export async function createTopics(
  brokers: string[],
  topics: TopicSpec[],
  config: Omit<KafkaConfig, 'brokers'> = {},
): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'test-infra-admin',
    logLevel: logLevel.NOTHING,
    ...config,
    brokers,
  }).admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map(({ topic, numPartitions, configEntries }) => ({
        topic,
        numPartitions: numPartitions ?? 1,
        replicationFactor: 1,
        configEntries,
      })),
    });
    await waitFor(
      async () => {
        const { topics: metadata } = await admin.fetchTopicMetadata({
          topics: topics.map((t) => t.topic),
        });
        return metadata.every(
          (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
        );
      },
      {
        timeoutMs: 30_000,
        description: `leaders for topics ${topics.map((t) => t.topic).join(', ')}`,
      },
    );
    return created;
  } finally {
    await admin.disconnect();
  }
}

export interface OwnKafkaBroker {
  brokers: string[];
  dataDir: string;
  pid: number;
}

/**
 * Starts a broker of the test's own (for restart, crash or SASL_SSL tests; the shared broker must
 * not be disturbed) with scripts/kafka/start-kafka.sh. Give `dataDir` of a stopped broker to
 * restart it with its data and port; `env` takes the script's variables (KAFKA_LISTENER_NAME,
 * KAFKA_EXTRA_PROPERTIES, KAFKA_PORT, ...). Always pair with stopOwnKafka.
 */
export async function startOwnKafka(
  options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<OwnKafkaBroker> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env.KAFKA_DATA_DIR;
  const out = await runScript(
    path.join(REPO_ROOT, 'scripts', 'kafka', 'start-kafka.sh'),
    options.dataDir ? [options.dataDir] : [],
    env,
  );
  if (!out.KAFKA_BROKERS || !out.KAFKA_DATA_DIR || !out.KAFKA_PID) {
    throw new Error(`start-kafka.sh printed an incomplete result: ${JSON.stringify(out)}`);
  }
  return {
    brokers: out.KAFKA_BROKERS.split(','),
    dataDir: out.KAFKA_DATA_DIR,
    pid: Number(out.KAFKA_PID),
  };
}

/** Stops a broker from startOwnKafka (SIGTERM, SIGKILL after 20 s); keepData allows a restart. */
export async function stopOwnKafka(dataDir: string, { keepData = false } = {}): Promise<void> {
  await runScript(
    path.join(REPO_ROOT, 'scripts', 'kafka', 'stop-kafka.sh'),
    keepData ? [dataDir, '--keep-data'] : [dataDir],
  );
}

/** The broker's own principal on an authorizing broker: a super user, for admin clients. */
const AUTHORIZER_SUPER_USER = { name: 'admin', password: 'admin-secret-4d1e' };

export interface AuthorizingKafkaBroker extends OwnKafkaBroker {
  /** kafkajs SASL settings of a user (SCRAM-SHA-512), or of the super user without a name. */
  sasl(user?: string): SASLOptions;
}

/**
 * Starts a broker of the test's own that authorizes every request with KRaft's
 * StandardAuthorizer: a SASL_PLAINTEXT listener with SCRAM-SHA-512 users (`users`: name →
 * password, no whitespace) and nothing allowed to them until ACLs are created. The super users
 * are the broker itself (`admin`, PLAIN, which sasl() also hands to tests for creating ACLs)
 * and ANONYMOUS, the principal of the PLAINTEXT controller listener on 127.0.0.1 that the broker
 * uses to reach its own controller (clients only ever come in over SASL). Pair with stopOwnKafka.
 */
export async function startAuthorizingKafka(
  users: Record<string, string>,
): Promise<AuthorizingKafkaBroker> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kafka-authorizer-'));
  try {
    const properties = path.join(dir, 'authorizer.properties');
    const admin = AUTHORIZER_SUPER_USER;
    await writeFile(
      properties,
      [
        'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        `super.users=User:${admin.name};User:ANONYMOUS`,
        'allow.everyone.if.no.acl.found=false',
        'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-512',
        'sasl.mechanism.inter.broker.protocol=PLAIN',
        'listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule ' +
          `required username="${admin.name}" password="${admin.password}" user_${admin.name}="${admin.password}";`,
        'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
        '',
      ].join('\n'),
    );
    const scram = Object.entries(users).map(
      ([name, password]) => `--add-scram SCRAM-SHA-512=[name=${name},password=${password}]`,
    );
    const broker = await startOwnKafka({
      env: {
        KAFKA_LISTENER_NAME: 'SASL_PLAINTEXT',
        KAFKA_EXTRA_PROPERTIES: properties,
        KAFKA_FORMAT_ARGS: scram.join(' '),
      },
    });
    return {
      ...broker,
      sasl: (user?: string): SASLOptions => {
        if (user === undefined) {
          return { mechanism: 'plain', username: admin.name, password: admin.password };
        }
        const password = users[user];
        if (password === undefined) throw new Error(`no user '${user}' on this broker`);
        return { mechanism: 'scram-sha-512', username: user, password };
      },
    };
  } finally {
    // Appended to server.properties at start; a restart of this broker is not offered.
    await rm(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------ postgres

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a database with a unique name on the test cluster and returns its URL. */
export async function createTestDatabase(prefix: string): Promise<string> {
  // PostgreSQL identifiers: at most 63 bytes; lower case avoids quoting surprises.
  const cleanPrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40);
  const name = uniqueName(cleanPrefix || 'test', '_');
  await withAdminClient((client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by createTestDatabase, disconnecting any sessions still on it. */
export async function dropTestDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  const adminName = decodeURIComponent(new URL(databaseUrl()).pathname.replace(/^\//, ''));
  if (!name || name === adminName || /^template[01]$/.test(name) || name === 'postgres') {
    throw new Error(`refusing to drop database "${name}"`);
  }
  await withAdminClient((client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
  );
}

// ------------------------------------------------------------------------------------ waiting

export interface WaitForOptions {
  /** What is awaited, for the error message ("offsets committed for group g1"). */
  description: string;
  timeoutMs?: number;
  intervalMs?: number;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Polls `predicate` until it returns a truthy value (which is returned). A throwing predicate
 * counts as "not yet"; the last error is named in the timeout error.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { description, timeoutMs = 10_000, intervalMs = 50 }: WaitForOptions,
): Promise<Truthy<T>> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let attempts = 0;
  let lastError: unknown;
  let lastValue: unknown;
  for (;;) {
    attempts++;
    try {
      const value = await predicate();
      if (value) return value as Truthy<T>;
      lastValue = value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, remaining)));
  }
  const last =
    lastError === undefined
      ? `last result: ${inspect(lastValue)}`
      : `last error: ${lastError instanceof Error ? lastError.message : inspect(lastError)}`;
  throw new Error(
    `Timed out after ${Date.now() - started} ms waiting for ${description} (${attempts} attempts; ${last})`,
  );
}
