/**
 * Offline writes per second through the ship's content API (SQLite file, WAL), next to the raw
 * floor of the same durable work done directly with SQLite (one transaction = document upsert +
 * outbox row, synchronous=FULL). Prints figures and writes JSON to bench/results/; never pass/fail.
 *
 *   npx nest build ship
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/ship-writes.ts \
 *     [--writes 2000] [--concurrency 1,8] [--bulk 100] [--entry label=path/to/main.js ...]
 *     [--rounds 1] [--cpu-prof dir]
 *
 * --bulk N also measures bulk requests of N creates (the ingest benchmark's shape); every figure
 * gives the ship's CPU time per write, which holds better than writes/s on a busy machine. With
 * --rounds R the entries are measured R times, alternating.
 *
 * Several --entry values (e.g. a build of the previous commit and the current one) are measured
 * in the same run, one after the other, so their figures compare under the same machine load.
 */
import {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
} from '@offline-sync/sync-core';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from '../test/harness/free-port';
import { appEntry } from '../test/harness/node-process';
import { cpuMsOf } from './lib/measure';
import { writeResultFile } from './lib/report';

const KEY = 'bench-operator-key-0123456789';

interface Args {
  writes: number;
  concurrency: number[];
  entries: { label: string; entry: string }[];
  bulk: number;
  rounds: number;
  cpuProfDir: string | null;
}

interface Figure {
  label: string;
  kind: 'create' | 'update' | 'bulk create';
  concurrency: number;
  writes: number;
  writesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of the ship process (all its threads) per write. */
  shipCpuUsPerWrite: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    writes: 2000,
    concurrency: [1, 8],
    entries: [],
    bulk: 0,
    rounds: 1,
    cpuProfDir: null,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--writes':
        args.writes = Number(value);
        i += 1;
        break;
      case '--concurrency':
        args.concurrency = value.split(',').map(Number);
        i += 1;
        break;
      case '--entry': {
        const at = value.indexOf('=');
        args.entries.push({ label: value.slice(0, at), entry: path.resolve(value.slice(at + 1)) });
        i += 1;
        break;
      }
      case '--bulk':
        args.bulk = Number(value);
        i += 1;
        break;
      case '--rounds':
        args.rounds = Number(value);
        i += 1;
        break;
      case '--cpu-prof':
        args.cpuProfDir = path.resolve(value);
        i += 1;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (args.entries.length === 0) args.entries.push({ label: 'current', entry: appEntry('ship') });
  return args;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** Runs `count` calls of `work` with `concurrency` in flight; returns throughput and latencies. */
async function drive(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<void>,
  pid?: number,
): Promise<{ perSec: number; p50: number; p99: number; cpuUs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = cpuMsOf(pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        const start = performance.now();
        await work(i);
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpuUs = (cpuMsOf(pid) - cpu0) * 1000;
  latencies.sort((a, b) => a - b);
  return {
    cpuUs,
    perSec: Math.round(count / seconds),
    p50: Number(percentile(latencies, 50).toFixed(2)),
    p99: Number(percentile(latencies, 99).toFixed(2)),
  };
}

async function startShip(
  entry: string,
  dir: string,
  cpuProfDir: string | null,
): Promise<{ child: ChildProcess; url: string }> {
  const keys = generateSigningKeyPair();
  const master = generateSigningKeyPair();
  const port = await freePort();
  const deadPort = await freePort(); // nothing listens: the ship is offline, as at sea
  const execArgv = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const child = spawn(process.execPath, [...execArgv, entry], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      SYNC_SHIP_ID: 'ship-bench',
      SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(keys.privateKey),
      SYNC_MASTER_PUBLIC_KEY: exportPublicKeyBase64(master.publicKey),
      SYNC_API_KEYS: `crew:operator:${KEY}`,
      SYNC_CONTENT_TYPES: JSON.stringify({ note: { localized: false } }),
      KAFKA_BROKERS: `127.0.0.1:${deadPort}`,
      KAFKA_CONNECTION_TIMEOUT: '1000',
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: path.join(dir, 'ship.db'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/offline-sync/health/live`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`ship ${entry} did not start`);
}

async function stopShip(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function call(url: string, method: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

async function benchShip(args: Args, label: string, entry: string): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-ship-'));
  const { child, url } = await startShip(entry, dir, args.cpuProfDir);
  const figures: Figure[] = [];
  try {
    const content = `${url}/api/content/note`;
    const pid = child.pid;
    await drive(200, 4, async (i) => {
      await call(content, 'POST', { data: { text: `warm-up ${i}` } });
    });
    for (const concurrency of args.concurrency) {
      const ids: string[] = [];
      const created = await drive(
        args.writes,
        concurrency,
        async (i) => {
          ids.push((await call(content, 'POST', { data: { text: `note ${i}`, n: i } })).id);
        },
        pid,
      );
      figures.push(fig(label, 'create', concurrency, args.writes, created));
      // Updates of documents that already have an unsent change: the coalescing path.
      const updated = await drive(
        args.writes,
        concurrency,
        async (i) => {
          await call(`${content}/${ids[i % ids.length]}`, 'PATCH', { data: { n: -i - 1 } });
        },
        pid,
      );
      figures.push(fig(label, 'update', concurrency, args.writes, updated));
    }
    if (args.bulk > 0) {
      const requests = Math.max(1, Math.round(args.writes / args.bulk));
      const bulk = `${url}/api/content/_bulk`;
      const bulked = await drive(
        requests,
        4,
        async (i) => {
          const writes = Array.from({ length: args.bulk }, (_, k) => ({
            op: 'create',
            type: 'note',
            data: { text: `bulk note ${i}-${k}`, n: k },
          }));
          await call(bulk, 'POST', { writes });
        },
        pid,
      );
      const perWrite = { ...bulked, perSec: bulked.perSec * args.bulk };
      figures.push(fig(label, 'bulk create', 4, requests * args.bulk, perWrite));
    }
  } finally {
    await stopShip(child);
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

function fig(
  label: string,
  kind: Figure['kind'],
  concurrency: number,
  writes: number,
  r: { perSec: number; p50: number; p99: number; cpuUs: number },
): Figure {
  return {
    label,
    kind,
    concurrency,
    writes,
    writesPerSec: r.perSec,
    p50Ms: r.p50,
    p99Ms: r.p99,
    shipCpuUsPerWrite: Math.round(r.cpuUs / writes),
  };
}

/**
 * The floor: the same two rows per durable transaction, straight through SQLite (better-sqlite3,
 * the ship's driver, with prepared statements).
 */
async function benchRawSqlite(writes: number): Promise<Figure> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-raw-'));
  const db = new Database(path.join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(
      'CREATE TABLE doc (key TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL)',
    );
    db.exec(
      'CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, doc_key TEXT NOT NULL, fields TEXT NOT NULL, created_at TEXT NOT NULL)',
    );
    const upsert = db.prepare(
      'INSERT INTO doc (key, data, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
    );
    const queue = db.prepare('INSERT INTO outbox (doc_key, fields, created_at) VALUES (?, ?, ?)');
    const write = db.transaction((i: number) => {
      const now = new Date().toISOString();
      const data = JSON.stringify({ text: `note ${i}`, n: i });
      upsert.run(`note:${i}`, data, now);
      queue.run(`note:${i}`, data, now);
    });
    const result = await drive(writes, 1, (i) => {
      write(i);
      return Promise.resolve();
    });
    return fig('raw SQLite (floor)', 'create', 1, writes, result);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const figures: Figure[] = [await benchRawSqlite(args.writes)];
  for (let round = 0; round < args.rounds; round += 1) {
    for (const { label, entry } of args.entries)
      figures.push(...(await benchShip(args, label, entry)));
  }
  console.table(figures);
  const file = writeResultFile(path.join(__dirname, 'results'), 'ship-writes', {
    node: process.version,
    args,
    figures,
  });
  console.log(`written ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
