/**
 * Starting and stopping the real Kafka and PostgreSQL used by integration tests (SPEC §9).
 * Used by global-setup.ts / global-teardown.ts only; test files use ./test-infra.ts.
 *
 * Per service, in this order:
 *   1. KAFKA_BROKERS / DATABASE_URL set          -> use it, start nothing
 *   2. a container runtime answers (testcontainers) -> start a container
 *   3. otherwise                                  -> scripts/kafka/start-kafka.sh, scripts/postgres/start-postgres.sh
 * TEST_INFRA=local skips the container probe, TEST_INFRA=docker requires a container runtime.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
// Global setup runs outside Jest's module mapping: the file itself, not the package name.
import { errorMessage } from '../../libs/sync-core/src/errors/error-message';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const RUN_DIR = path.join(REPO_ROOT, '.run');
const DEFAULT_STATE_FILE = path.join(RUN_DIR, 'test-infra.json');
/** Set by global setup so that global teardown (same process) reads the state it wrote. */
export const STATE_FILE_ENV = 'TEST_INFRA_STATE_FILE';

const KAFKA_SCRIPTS = path.join(REPO_ROOT, 'scripts', 'kafka');
const POSTGRES_SCRIPTS = path.join(REPO_ROOT, 'scripts', 'postgres');
const SCRIPT_TIMEOUT_MS = 240_000; // a cold Kafka start downloads ~43 MB first
const DOCKER_PROBE_TIMEOUT_MS = 5_000;

export type Resource =
  | { source: 'env' }
  | { source: 'script'; stopScript: string; dataDir: string; pid?: number }
  | { source: 'container'; containerId: string; image: string };

export type KafkaResource = Resource & { brokers: string; startMs: number };
export type PostgresResource = Resource & { databaseUrl: string; startMs: number };

export interface InfraState {
  ownerPid: number;
  createdAt: string;
  /** Set when teardown left everything running (KEEP_TEST_INFRA=1): never reaped automatically. */
  kept?: boolean;
  kafka: KafkaResource;
  postgres: PostgresResource;
}

type Mode = 'auto' | 'local' | 'docker';

function mode(): Mode {
  const value = (process.env.TEST_INFRA ?? 'auto').toLowerCase();
  if (value === 'auto' || value === 'local' || value === 'docker') return value;
  throw new Error(`TEST_INFRA must be auto, local or docker (got "${value}")`);
}

export function log(message: string): void {
  process.stderr.write(`[test-infra] ${message}\n`);
}

// ------------------------------------------------------------------------------------ scripts

/** Runs a start/stop script; resolves with its KEY=VALUE stdout lines. */
export function runScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // The one-off download takes a while: say so instead of looking hung.
      for (const line of chunk.split('\n')) if (/download/i.test(line)) log(line.trim());
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), SCRIPT_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const why = signal ? `was killed by ${signal}` : `exited with ${code}`;
        reject(new Error(`${path.relative(REPO_ROOT, script)} ${why}:\n${stderr.trim()}`));
        return;
      }
      const values: Record<string, string> = {};
      for (const line of stdout.split('\n')) {
        const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
        if (match) values[match[1]] = match[2];
      }
      resolve(values);
    });
  });
}

function required(values: Record<string, string>, key: string, script: string): string {
  const value = values[key];
  if (!value) throw new Error(`${script} printed no ${key}`);
  return value;
}

/** Environment for a start script: never let a stray exported data dir leak in. */
function freshStartEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.KAFKA_DATA_DIR;
  delete env.PG_DATA_DIR;
  return env;
}

async function startKafkaScript(): Promise<Resource & { brokers: string }> {
  const script = path.join(KAFKA_SCRIPTS, 'start-kafka.sh');
  const out = await runScript(script, [], freshStartEnv());
  return {
    source: 'script',
    stopScript: 'scripts/kafka/stop-kafka.sh',
    brokers: required(out, 'KAFKA_BROKERS', script),
    dataDir: required(out, 'KAFKA_DATA_DIR', script),
    pid: Number(required(out, 'KAFKA_PID', script)),
  };
}

async function startPostgresScript(): Promise<Resource & { databaseUrl: string }> {
  const script = path.join(POSTGRES_SCRIPTS, 'start-postgres.sh');
  const out = await runScript(script, [], freshStartEnv());
  return {
    source: 'script',
    stopScript: 'scripts/postgres/stop-postgres.sh',
    databaseUrl: required(out, 'DATABASE_URL', script),
    dataDir: required(out, 'PG_DATA_DIR', script),
  };
}

// ------------------------------------------------------------------------------------ containers

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Whether a container runtime (Docker, Podman, ...) answers; false when TEST_INFRA=local. */
export async function containerRuntimeAvailable(): Promise<boolean> {
  const wanted = mode();
  if (wanted === 'local') return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await withTimeout(
      getContainerRuntimeClient(),
      DOCKER_PROBE_TIMEOUT_MS,
      'container runtime probe',
    );
    return true;
  } catch (error) {
    if (wanted === 'docker') {
      throw new Error(`TEST_INFRA=docker but no container runtime: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

async function startKafkaContainer(): Promise<Resource & { brokers: string }> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const image = process.env.KAFKA_IMAGE ?? `apache/kafka:${process.env.KAFKA_VERSION ?? '4.1.2'}`;
  // Kafka must advertise the address clients use, which is only known for a fixed host port.
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  const hostPort = await freePort();
  const container = await new GenericContainer(image)
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://localhost:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${hostPort}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS: '1000',
      KAFKA_BROKER_HEARTBEAT_INTERVAL_MS: '500',
      KAFKA_BROKER_SESSION_TIMEOUT_MS: '3000',
      KAFKA_LOG_CLEANER_BACKOFF_MS: '500',
      KAFKA_NUM_PARTITIONS: '1',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return {
    source: 'container',
    containerId: container.getId(),
    image,
    brokers: `${host}:${hostPort}`,
  };
}

async function startPostgresContainer(): Promise<Resource & { databaseUrl: string }> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const image = process.env.POSTGRES_IMAGE ?? 'postgres:15';
  const container = await new GenericContainer(image)
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    .withCommand([
      'postgres',
      '-c',
      'max_connections=300',
      '-c',
      'fsync=on',
      '-c',
      'synchronous_commit=on',
    ])
    .withExposedPorts(5432)
    // The image's entrypoint runs a temporary server first: wait for the second "ready".
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .withStartupTimeout(120_000)
    .start();
  return {
    source: 'container',
    containerId: container.getId(),
    image,
    databaseUrl: `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`,
  };
}

// ------------------------------------------------------------------------------------ start / stop

async function timed<T>(start: () => Promise<T>): Promise<T & { startMs: number }> {
  const t0 = Date.now();
  const value = await start();
  return { ...value, startMs: Date.now() - t0 };
}

export async function startInfra(): Promise<Pick<InfraState, 'kafka' | 'postgres'>> {
  const envBrokers = process.env.KAFKA_BROKERS?.trim();
  const envDatabaseUrl = process.env.DATABASE_URL?.trim();
  const useContainers = (!envBrokers || !envDatabaseUrl) && (await containerRuntimeAvailable());
  if (useContainers && process.env.KEEP_TEST_INFRA === '1') {
    // The reaper container would remove the containers when Jest exits.
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  }

  const [kafka, postgres] = await Promise.allSettled([
    timed(async (): Promise<Resource & { brokers: string }> => {
      if (envBrokers) return { source: 'env', brokers: envBrokers };
      return useContainers ? startKafkaContainer() : startKafkaScript();
    }),
    timed(async (): Promise<Resource & { databaseUrl: string }> => {
      if (envDatabaseUrl) return { source: 'env', databaseUrl: envDatabaseUrl };
      return useContainers ? startPostgresContainer() : startPostgresScript();
    }),
  ]);
  if (kafka.status === 'fulfilled' && postgres.status === 'fulfilled') {
    return { kafka: kafka.value, postgres: postgres.value };
  }
  // Do not leak the half that did start.
  const started = [kafka, postgres].flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  await Promise.allSettled(started.map((resource) => stopResource(resource)));
  const reasons = [kafka, postgres].flatMap((r) =>
    r.status === 'rejected' ? [errorMessage(r.reason)] : [],
  );
  throw new Error(`could not start the test infrastructure:\n${reasons.join('\n')}`);
}

export async function stopResource(resource: Resource): Promise<void> {
  switch (resource.source) {
    case 'env':
      return;
    case 'script':
      await runScript(path.join(REPO_ROOT, resource.stopScript), [resource.dataDir]);
      return;
    case 'container': {
      const { getContainerRuntimeClient } = await import('testcontainers');
      const client = await getContainerRuntimeClient();
      const container = client.container.getById(resource.containerId);
      try {
        await client.container.stop(container, { timeout: 10 });
      } finally {
        await client.container.remove(container, { removeVolumes: true }).catch(() => undefined);
      }
      return;
    }
  }
}

export function stopCommand(resource: Resource): string {
  switch (resource.source) {
    case 'env':
      return '';
    case 'script':
      return `${resource.stopScript} ${resource.dataDir}`;
    case 'container':
      return `docker rm -f ${resource.containerId}`;
  }
}

// ------------------------------------------------------------------------------------ state file

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a state file holds: only the claim until setup has started everything. */
export type StateFileContent = Partial<InfraState> & Pick<InfraState, 'ownerPid' | 'createdAt'>;

export function readState(file: string): StateFileContent | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StateFileContent;
  } catch {
    return undefined;
  }
}

export function writeState(file: string, state: InfraState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export function removeState(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/**
 * Stops what earlier runs started and never stopped (Jest killed before its teardown), then claims
 * the state file for this run: .run/test-infra.json, or .run/test-infra-<pid>.json while another
 * live Jest process (or a KEEP_TEST_INFRA run) owns that one. The claim is an exclusive create, so
 * concurrent runs never share (and never stop each other's) infrastructure.
 */
export async function claimStateFile(): Promise<string> {
  mkdirSync(RUN_DIR, { recursive: true });
  const files = readdirSync(RUN_DIR)
    .filter((name) => /^test-infra(-\d+)?\.json$/.test(name))
    .map((name) => path.join(RUN_DIR, name));
  for (const file of files) {
    const state = readState(file);
    if (!state || state.kept || isAlive(state.ownerPid)) continue;
    if (state.kafka || state.postgres) {
      log(
        `stopping leftovers of an interrupted run (pid ${state.ownerPid}) from ${path.basename(file)}`,
      );
      await Promise.allSettled(
        [state.kafka, state.postgres].flatMap((r) => (r ? [stopResource(r)] : [])),
      );
    }
    removeState(file);
  }
  const claim: StateFileContent = { ownerPid: process.pid, createdAt: new Date().toISOString() };
  for (const file of [DEFAULT_STATE_FILE, path.join(RUN_DIR, `test-infra-${process.pid}.json`)]) {
    try {
      writeFileSync(file, `${JSON.stringify(claim)}\n`, { flag: 'wx' });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`could not claim a state file in ${RUN_DIR}`);
}

export function stateFileOfThisRun(): string {
  return process.env[STATE_FILE_ENV] ?? DEFAULT_STATE_FILE;
}

export function describeResource(name: string, resource: Resource & { startMs: number }): string {
  const how = resource.source === 'env' ? 'from env' : `${resource.source} ${resource.startMs} ms`;
  return `${name} (${how})`;
}
