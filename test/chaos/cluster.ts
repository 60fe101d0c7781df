import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
} from '@offline-sync/sync-core';
import { REPO_ROOT, runScript } from '../harness/infra';
import { LinkProxy } from '../harness/link-proxy';
import { startOwnKafka, stopOwnKafka, type OwnKafkaBroker } from '../harness/test-infra';
import { AppProcess, type ExitInfo } from './app-process';

export const OPERATOR_KEY = 'chaos-operator-key-0123456789';
export const CREW_KEY = 'chaos-crew-key-0123456789abc';
const API_KEYS = `operator:operator:${OPERATOR_KEY},crew:operator:${CREW_KEY}`;

/** How long a node may take to become ready on a loaded machine. */
const READY_TIMEOUT_MS = 90_000;

export interface ClusterOptions {
  dir: string;
  ships: string[];
  masters: string[];
  contentTypesFile: string;
  /** Extra environment for every ship (e.g. the seeded defect). */
  shipEnv?: Record<string, string>;
  logLevel?: string;
}

/** A node of the cluster as the supervisor sees it. */
export interface NodeHandle {
  process: AppProcess;
  /** Whether it should be running now (false while a kill fault holds it down). */
  wanted: boolean;
  /** A start in progress. */
  starting: Promise<void> | null;
}

export type ProcessEventSink = (
  node: string,
  event: 'exit' | 'start' | 'start-failed',
  detail?: string,
  ready?: boolean,
) => void;

/**
 * The whole system of a chaos run, all as processes of its own: a Kafka broker with one
 * listener per ship behind that ship's link proxy, a PostgreSQL cluster, the master replicas in
 * one consumer group and the ships, each on its own SQLite file. Everything the fault injector
 * does goes through here; a supervisor starts again any process that is meant to run and is not
 * (as an orchestrator would), and reports each exit it did not ask for.
 */
export class ChaosCluster {
  readonly nodes = new Map<string, NodeHandle>();
  readonly links: Record<string, LinkProxy> = {};
  private broker: OwnKafkaBroker | null = null;
  private brokerEnv: NodeJS.ProcessEnv = {};
  private brokerUp = false;
  private brokerPaused = false;
  private databaseDir = '';
  private databaseUp = false;
  databaseUrl = '';
  private supervisor: NodeJS.Timeout | null = null;
  private readonly killing = new Set<string>();
  onProcessEvent: ProcessEventSink = () => undefined;

  constructor(readonly options: ClusterOptions) {}

  get masters(): AppProcess[] {
    return this.options.masters.map((m) => this.node(m).process);
  }

  get ships(): AppProcess[] {
    return this.options.ships.map((s) => this.node(s).process);
  }

  node(name: string): NodeHandle {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  async start(): Promise<void> {
    const { dir, ships, masters } = this.options;
    await Promise.all([this.startBroker(), this.startDatabase()]);
    const masterKeys = generateSigningKeyPair();
    const shipKeys = Object.fromEntries(ships.map((s) => [s, generateSigningKeyPair()]));
    const common = {
      SYNC_CONTENT_TYPES: `@${this.options.contentTypesFile}`,
      SYNC_API_KEYS: API_KEYS,
      KAFKA_TOPIC_PREFIX: 'chaos.',
      LOG_LEVEL: this.options.logLevel ?? 'info',
      KAFKA_CONNECTION_TIMEOUT: '3000',
    };
    const usedPorts = new Set<number>();
    for (const master of masters) {
      const env = {
        ...common,
        KAFKA_BROKERS: this.brokerAddress,
        DATABASE_URL: this.databaseUrl,
        SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(masterKeys.privateKey),
        SYNC_SHIP_PUBLIC_KEYS: ships
          .map((s) => `${s}=${exportPublicKeyBase64(shipKeys[s].publicKey)}`)
          .join(','),
        // A killed replica's partitions move to the other one after this long.
        KAFKA_SESSION_TIMEOUT: '10000',
        SYNC_SHIP_OFFLINE_AFTER: '10000',
        SYNC_OUTBOX_POLL_INTERVAL: '500',
        SHUTDOWN_TIMEOUT: '15000',
      };
      this.add(master, 'master', await stablePort(usedPorts), env);
    }
    for (const ship of ships) {
      const env = {
        ...common,
        KAFKA_BROKERS: this.links[ship].address,
        SYNC_SHIP_ID: ship,
        DATABASE_FILENAME: path.join(dir, `${ship}.db`),
        SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(shipKeys[ship].privateKey),
        SYNC_MASTER_PUBLIC_KEY: exportPublicKeyBase64(masterKeys.publicKey),
        SYNC_DEBOUNCE_MS: '200',
        SYNC_RETRY_DELAY: '500',
        SYNC_CONNECTIVITY_CHECK_INTERVAL: '1000',
        SYNC_HEARTBEAT_INTERVAL: '2000',
        KAFKA_REQUEST_TIMEOUT: '10000',
        SHUTDOWN_TIMEOUT: '15000',
        SYNC_TEST_CLOCK_OFFSET_MS: '0',
        ...this.options.shipEnv,
      };
      this.add(ship, 'ship', await stablePort(usedPorts), env);
    }
    // The first master creates the topics and runs the migrations; then all the others.
    await this.startNode(masters[0]);
    await Promise.all([...masters.slice(1), ...ships].map((name) => this.startNode(name)));
    this.supervisor = setInterval(() => this.supervise(), 1_000);
  }

  private add(
    name: string,
    app: 'master' | 'ship',
    port: number,
    env: Record<string, string>,
  ): void {
    const process = new AppProcess(
      name,
      app,
      port,
      env,
      path.join(this.options.dir, `${name}.log`),
    );
    process.onExit = (info, wasReady) => this.exited(name, info, wasReady);
    this.nodes.set(name, { process, wanted: true, starting: null });
  }

  private exited(name: string, info: ExitInfo, wasReady: boolean): void {
    if (this.killing.has(name)) return;
    const how = info.signal ? `signal ${info.signal}` : `code ${info.code}`;
    this.onProcessEvent(
      name,
      'exit',
      wasReady ? `crashed (${how})` : `exited while starting (${how})`,
      wasReady,
    );
  }

  /** Starts a node and waits until it is ready (or exits, or the time is up: then it throws). */
  async startNode(name: string): Promise<void> {
    const node = this.node(name);
    node.wanted = true;
    if (node.starting) return node.starting;
    if (node.process.isRunning()) return;
    node.starting = (async () => {
      try {
        node.process.spawn();
        await node.process.waitReady(READY_TIMEOUT_MS);
      } finally {
        node.starting = null;
      }
    })();
    return node.starting;
  }

  /** kill -9; the node stays down until startNode. */
  async killNode(name: string): Promise<void> {
    const node = this.node(name);
    node.wanted = false;
    this.killing.add(name);
    try {
      if (node.process.isPaused()) node.process.resume();
      await node.process.kill9();
    } finally {
      this.killing.delete(name);
    }
  }

  /** A clean restart with other environment (a ship's clock offset). */
  async restartNode(name: string, env: Record<string, string>): Promise<void> {
    const node = this.node(name);
    // A start in progress (the end of another fault) finishes first.
    await node.starting?.catch(() => undefined);
    node.wanted = false;
    this.killing.add(name);
    try {
      await node.process.stop();
    } finally {
      this.killing.delete(name);
    }
    node.process.env = { ...node.process.env, ...env };
    await this.startNode(name);
  }

  pauseNode(name: string): void {
    this.node(name).process.pause();
  }

  resumeNode(name: string): void {
    this.node(name).process.resume();
  }

  /** Starts what should run and does not: a process that died by itself, or failed to start. */
  private supervise(): void {
    for (const [name, node] of this.nodes) {
      if (!node.wanted || node.starting || node.process.isRunning()) continue;
      this.onProcessEvent(name, 'start', 'restarted by the supervisor');
      this.startNode(name).catch((error: unknown) =>
        this.onProcessEvent(name, 'start-failed', errorText(error)),
      );
    }
  }

  // ---------------------------------------------------------------------------------- broker

  get brokerAddress(): string {
    if (!this.broker) throw new Error('the broker has not started');
    return this.broker.brokers.join(',');
  }

  private async startBroker(): Promise<void> {
    const listeners: string[] = [];
    const advertised: string[] = [];
    const protocols: string[] = [];
    const used = new Set<number>();
    for (const ship of this.options.ships) {
      const name = `LINK_${ship.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
      // Below the ephemeral range: a restarting broker must find its ports free.
      const internalPort = await stablePort(used);
      const proxy = new LinkProxy(
        { host: '127.0.0.1', port: internalPort },
        await stablePort(used),
      );
      const proxyPort = await proxy.start();
      listeners.push(`${name}://127.0.0.1:${internalPort}`);
      advertised.push(`${name}://127.0.0.1:${proxyPort}`);
      protocols.push(`${name}:PLAINTEXT`);
      this.links[ship] = proxy;
    }
    const extra = path.join(this.options.dir, 'links.properties');
    writeFileSync(
      extra,
      [
        `listeners=PLAINTEXT://127.0.0.1:{PORT},CONTROLLER://127.0.0.1:{CONTROLLER_PORT},${listeners.join(',')}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:{PORT},${advertised.join(',')}`,
        `listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,${protocols.join(',')}`,
        '',
      ].join('\n'),
    );
    this.brokerEnv = { KAFKA_EXTRA_PROPERTIES: extra };
    this.broker = await startOwnKafka({
      dataDir: path.join(this.options.dir, 'kafka'),
      env: this.brokerEnv,
    });
    this.brokerUp = true;
  }

  isBrokerUp(): boolean {
    return this.brokerUp;
  }

  async killBroker(): Promise<void> {
    if (!this.broker || !this.brokerUp) return;
    this.brokerUp = false;
    const pid = this.broker.pid;
    signal(pid, 'SIGCONT');
    signal(pid, 'SIGKILL');
    this.brokerPaused = false;
    await waitGone(pid);
  }

  /** Starts the broker again on its data and ports, retrying while its old session expires. */
  async restartBroker(): Promise<void> {
    if (!this.broker || this.brokerUp) return;
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        this.broker = await startOwnKafka({ dataDir: this.broker.dataDir, env: this.brokerEnv });
        this.brokerUp = true;
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
    throw lastError;
  }

  pauseBroker(): void {
    if (!this.broker || !this.brokerUp) return;
    signal(this.broker.pid, 'SIGSTOP');
    this.brokerPaused = true;
  }

  resumeBroker(): void {
    if (!this.broker) return;
    signal(this.broker.pid, 'SIGCONT');
    this.brokerPaused = false;
  }

  isBrokerPaused(): boolean {
    return this.brokerPaused;
  }

  // ---------------------------------------------------------------------------------- database

  private async startDatabase(): Promise<void> {
    this.databaseDir = databaseDirFor(this.options.dir);
    const out = await runScript(
      path.join(REPO_ROOT, 'scripts', 'postgres', 'start-postgres.sh'),
      [this.databaseDir],
      databaseScriptEnv(),
    );
    if (!out.DATABASE_URL) throw new Error('start-postgres.sh printed no DATABASE_URL');
    this.databaseUrl = out.DATABASE_URL;
    this.databaseUp = true;
  }

  isDatabaseUp(): boolean {
    return this.databaseUp;
  }

  /** `fast`: a clean shutdown; `immediate`: no checkpoint, recovery from the WAL at restart. */
  async stopDatabase(mode: 'fast' | 'immediate'): Promise<void> {
    if (!this.databaseUp) return;
    this.databaseUp = false;
    await pgCtlStop(path.join(this.databaseDir, 'data'), mode);
  }

  async restartDatabase(): Promise<void> {
    if (this.databaseUp) return;
    await runScript(
      path.join(REPO_ROOT, 'scripts', 'postgres', 'start-postgres.sh'),
      [this.databaseDir],
      databaseScriptEnv(),
    );
    this.databaseUp = true;
  }

  // ---------------------------------------------------------------------------------- all

  /** Every fault undone: links flowing and unshaped, every process running and not paused. */
  async healAll(): Promise<void> {
    for (const link of Object.values(this.links)) {
      link.restore();
      link.unstall();
      link.shape({ latencyMs: 0, bandwidthBytesPerSec: 0 });
    }
    if (this.brokerPaused) this.resumeBroker();
    await this.restartBroker();
    await this.restartDatabase();
    for (const node of this.nodes.values()) if (node.process.isPaused()) node.process.resume();
    await Promise.all([...this.nodes.keys()].map((name) => this.startNode(name)));
  }

  async stop(): Promise<void> {
    if (this.supervisor) clearInterval(this.supervisor);
    this.supervisor = null;
    for (const node of this.nodes.values()) node.wanted = false;
    await Promise.all(
      [...this.nodes.keys()].map(async (name) => {
        const node = this.node(name);
        this.killing.add(name);
        await node.process.stop().catch(() => node.process.kill9());
        node.process.close();
      }),
    );
    for (const link of Object.values(this.links)) await link.stop();
    if (this.broker) {
      if (this.brokerPaused) this.resumeBroker();
      await stopOwnKafka(this.broker.dataDir, { keepData: true }).catch(() => undefined);
    }
    if (this.databaseDir) {
      await runScript(path.join(REPO_ROOT, 'scripts', 'postgres', 'stop-postgres.sh'), [
        this.databaseDir,
        '--keep-data',
      ]).catch(() => undefined);
    }
  }
}

/**
 * Where the run's PostgreSQL keeps its data. As root, the cluster runs as the postgres user, who
 * cannot reach a run directory under a private home (a clone in /root): the data then goes to a
 * directory of its own under the system's temp directory, linked from the run directory.
 */
function databaseDirFor(runDir: string): string {
  const inRun = path.join(runDir, 'postgres');
  if (process.getuid?.() !== 0) return inRun;
  const dir = mkdtempSync(path.join(tmpdir(), 'offline-sync-chaos-pg-'));
  symlinkSync(dir, inRun);
  return dir;
}

function databaseScriptEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.PG_DATA_DIR;
  delete env.PG_PORT;
  return env;
}

/** pg_ctl stop as the cluster's owner (initdb and pg_ctl refuse root). */
function pgCtlStop(dataDir: string, mode: 'fast' | 'immediate'): Promise<void> {
  const script = `
    PG_CTL="$(command -v pg_ctl || ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n1)"
    if [ "$(id -u)" = 0 ]; then exec runuser -u "\${PG_OS_USER:-postgres}" -- "$PG_CTL" stop -D "$1" -m "$2" -w -t 60
    else exec "$PG_CTL" stop -D "$1" -m "$2" -w -t 60; fi`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, 'pg-stop', dataDir, mode], { stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`pg_ctl stop -m ${mode} failed: ${output.trim()}`)),
    );
  });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A free port below the kernel's ephemeral range: a process that stops and starts again (a
 * broker, a ship after kill -9) must find its port free, which an outgoing connection's source
 * port could otherwise hold.
 */
export async function stablePort(taken: Set<number>): Promise<number> {
  let low = 32768;
  try {
    low = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
  } catch {
    // the Linux default
  }
  const min = 10_000;
  const max = low - 1 > min + 1000 ? low - 1 : 29_999;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    if (taken.has(port)) continue;
    if (await portFree(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port below the ephemeral range');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
