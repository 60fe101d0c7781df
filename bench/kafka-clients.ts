/**
 * The Kafka client libraries compared on the product's own scenarios, in one run: every round
 * runs ingest, backlog and latency once per client (KAFKA_CLIENT for every node of the fleet), the
 * clients' order rotating from round to round so that a change in the machine's load falls on
 * each of them alike. Each fleet has a broker of its own; PostgreSQL is started unless
 * DATABASE_URL is set. The machine's load average is noted before and after each measurement.
 * Prints a table, writes JSON to bench/results/; never pass/fail.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/kafka-clients.ts \
 *     [--rounds 2] [--clients kafkajs,confluent,platformatic] [--no-build] \
 *     [--ingest-seconds 30] [--backlog 20000] [--latency-seconds 20]
 */
import { KAFKA_CLIENTS, type KafkaClientName } from '@offline-sync/sync-core';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, runScript } from '../test/harness/infra';
import { buildApps } from '../test/harness/node-process';
import { BenchFleet } from './lib/bench-fleet';
import { backlogCatchUp, RECONNECT_ENV } from './lib/catch-up';
import { stopEverything } from './lib/cleanup';
import { fleetMemory } from './lib/fleet-memory';
import { machineFacts } from './lib/machine';
import { log, percentile, round } from './lib/measure';
import { writeResultFile } from './lib/report';
import type { BenchContext, MemoryPeak } from './lib/scenario';
import { FULL_SIZES, type Sizes } from './lib/sizes';
import { measureIngest } from './scenarios/ingest.bench';
import { LATENCY_ENV, measureAt, withFleet } from './scenarios/latency.bench';

interface Args {
  rounds: number;
  clients: KafkaClientName[];
  build: boolean;
  sizes: Sizes;
}

/** One client's figures in one round. */
interface Measurement {
  round: number;
  client: KafkaClientName;
  ingestPerSec: number | null;
  ingestSlowestSlicePerSec: number | null;
  ingestWriteErrors: number | null;
  backlogChanges: number | null;
  backlogCommittedS: number | null;
  backlogOutcomesBackS: number | null;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  latencyMissing: number | null;
  shipPeakMb: number | null;
  masterPeakMb: number | null;
  cpuPercent: Record<string, number>;
  loadAverage: { scenario: string; before: number[]; after: number[] }[];
  errors: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    rounds: 2,
    clients: [...KAFKA_CLIENTS],
    build: true,
    sizes: {
      ...FULL_SIZES,
      ingestSeconds: 30,
      backlog: 20_000,
      latencySeconds: 20,
      waitLimitSeconds: 180,
    },
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--no-build') {
      args.build = false;
    } else if (flag === '--rounds') {
      args.rounds = Number(value);
      i += 1;
    } else if (flag === '--clients') {
      args.clients = value.split(',') as KafkaClientName[];
      for (const c of args.clients) {
        if (!KAFKA_CLIENTS.includes(c)) throw new Error(`unknown client ${c}`);
      }
      i += 1;
    } else if (flag === '--ingest-seconds') {
      args.sizes.ingestSeconds = Number(value);
      i += 1;
    } else if (flag === '--backlog') {
      args.sizes.backlog = Number(value);
      i += 1;
    } else if (flag === '--latency-seconds') {
      args.sizes.latencySeconds = Number(value);
      i += 1;
    } else {
      throw new Error(`unknown argument ${flag}`);
    }
  }
  return args;
}

/** Set on SIGINT/SIGTERM: no further measurement starts while the run stops. */
let stopping = false;

const load = (): number[] => loadavg().map((l) => round(l, 2));

function peak(memory: MemoryPeak[], role: MemoryPeak['role']): number | null {
  const values = memory.filter((m) => m.role === role).map((m) => m.peakMb);
  return values.length ? Math.max(...values) : null;
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function versionOf(pkg: string): string {
  try {
    const file = path.join(REPO_ROOT, 'node_modules', pkg, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function librdkafkaVersion(): string {
  try {
    return execFileSync(
      process.execPath,
      ['-p', "require('@confluentinc/kafka-javascript').librdkafkaVersion"],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    ).trim();
  } catch {
    return 'unknown';
  }
}

async function measureClient(
  context: BenchContext,
  client: KafkaClientName,
  roundNo: number,
): Promise<Measurement> {
  process.env.KAFKA_CLIENT = client;
  const m: Measurement = {
    round: roundNo,
    client,
    ingestPerSec: null,
    ingestSlowestSlicePerSec: null,
    ingestWriteErrors: null,
    backlogChanges: null,
    backlogCommittedS: null,
    backlogOutcomesBackS: null,
    latencyP50Ms: null,
    latencyP99Ms: null,
    latencyMissing: null,
    shipPeakMb: null,
    masterPeakMb: null,
    cpuPercent: {},
    loadAverage: [],
    errors: [],
  };
  const note = (memory: MemoryPeak[]): void => {
    m.shipPeakMb = maxOf(m.shipPeakMb, peak(memory, 'ship'));
    m.masterPeakMb = maxOf(m.masterPeakMb, peak(memory, 'master'));
  };
  const step = async (scenario: string, work: () => Promise<void>): Promise<void> => {
    if (stopping) return;
    const before = load();
    log(`  [${client}, round ${roundNo}] ${scenario} (load ${before.join(' ')}) ...`);
    try {
      await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`  ${scenario} failed: ${message}`);
      m.errors.push(`${scenario}: ${message.split('\n')[0].slice(0, 200)}`);
    }
    m.loadAverage.push({ scenario, before, after: load() });
  };

  await step('ingest', async () => {
    const r = await measureIngest(context, {
      editPercent: 0,
      pool: 0,
      seconds: context.sizes.ingestSeconds,
      perRequest: context.sizes.ingestBulk,
      concurrency: context.sizes.ingestConcurrency,
    });
    try {
      note(fleetMemory(r.fleet));
    } finally {
      await r.fleet.stop();
    }
    m.ingestPerSec = round(r.perSec);
    m.ingestSlowestSlicePerSec = round(r.slowestSlicePerSec);
    m.ingestWriteErrors = r.writeErrors;
    m.cpuPercent = r.cpuPercent;
  });

  await step('backlog', async () => {
    const fleet = await BenchFleet.start({ ships: ['ship-a'], env: RECONNECT_ENV });
    try {
      const r = await backlogCatchUp(fleet, 'ship-a', {
        count: context.sizes.backlog,
        concurrency: context.sizes.seedConcurrency,
        perRequest: context.sizes.seedBulk,
        limitMs: context.sizes.waitLimitSeconds * 1000,
        seedSeconds: context.sizes.seedSeconds,
      });
      note(fleetMemory(fleet));
      m.backlogChanges = r.seeded;
      m.backlogCommittedS = r.committedMs === null ? null : round(r.committedMs / 1000, 1);
      m.backlogOutcomesBackS = r.outcomesBackMs === null ? null : round(r.outcomesBackMs / 1000, 1);
    } finally {
      await fleet.stop();
    }
  });

  await step('latency', async () => {
    const { latencyRate, latencySeconds, warmupSeconds } = context.sizes;
    const r = await withFleet(LATENCY_ENV, async (fleet, reader) => {
      const measured = await measureAt(
        fleet,
        reader,
        { rate: latencyRate, seconds: latencySeconds, warmupSeconds },
        LATENCY_ENV.SYNC_DEBOUNCE_MS,
      );
      note(fleetMemory(fleet));
      return measured;
    });
    m.latencyP50Ms = round(percentile(r.toOther, 50));
    m.latencyP99Ms = round(percentile(r.toOther, 99));
    m.latencyMissing = r.missing;
  });
  return m;
}

function median(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null && !Number.isNaN(v));
  if (known.length === 0) return null;
  const sorted = [...known].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : round((sorted[mid - 1] + sorted[mid]) / 2, 1);
}

const FIGURES: {
  key: keyof Measurement;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
}[] = [
  {
    key: 'ingestPerSec',
    label: 'ingest, changes committed on master',
    unit: '/s',
    better: 'higher',
  },
  {
    key: 'backlogCommittedS',
    label: 'backlog flush (restore → last commit)',
    unit: 's',
    better: 'lower',
  },
  {
    key: 'backlogOutcomesBackS',
    label: 'backlog, outcomes back on the ship',
    unit: 's',
    better: 'lower',
  },
  { key: 'latencyP99Ms', label: 'write → other ship p99', unit: 'ms', better: 'lower' },
  { key: 'latencyP50Ms', label: 'write → other ship p50', unit: 'ms', better: 'lower' },
  { key: 'shipPeakMb', label: 'ship peak RSS', unit: 'MB', better: 'lower' },
  { key: 'masterPeakMb', label: 'master peak RSS', unit: 'MB', better: 'lower' },
];

function table(results: Measurement[], clients: KafkaClientName[]): string {
  const lines = [
    `| figure | ${clients.join(' | ')} |`,
    `|---|${clients.map(() => '---').join('|')}|`,
  ];
  for (const f of FIGURES) {
    const cells = clients.map((c) => {
      const values = results.filter((r) => r.client === c).map((r) => r[f.key] as number | null);
      const each = values.map((v) => (v === null ? '—' : String(v))).join(' / ');
      return `**${median(values) ?? '—'}** (${each})`;
    });
    lines.push(`| ${f.label} (${f.unit}, ${f.better} is better) | ${cells.join(' | ')} |`);
  }
  const loads = clients.map((c) =>
    results
      .filter((r) => r.client === c)
      .map((r) => r.loadAverage.map((l) => l.before[0]).join('/'))
      .join(' ; '),
  );
  lines.push(`| load average (1 min) before ingest/backlog/latency | ${loads.join(' | ')} |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  if (args.build) {
    log('building master and ship ...');
    buildApps();
  }
  let stopPostgres: (() => Promise<unknown>) | null = null;
  if (!process.env.DATABASE_URL) {
    log('starting PostgreSQL ...');
    const out = await runScript(path.join(REPO_ROOT, 'scripts/postgres/start-postgres.sh'), []);
    process.env.DATABASE_URL = out.DATABASE_URL;
    stopPostgres = () =>
      runScript(path.join(REPO_ROOT, 'scripts/postgres/stop-postgres.sh'), [out.PG_DATA_DIR]);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      log(`\n${signal}: stopping what the run started ...`);
      void stopEverything()
        .then(() => stopPostgres?.())
        .finally(() => process.exit(130));
    });
  }
  const context: BenchContext = { sizes: args.sizes, results: {} };
  const results: Measurement[] = [];
  try {
    const machine = await machineFacts(process.env.DATABASE_URL ?? '');
    const versions = {
      kafkajs: versionOf('kafkajs'),
      confluent: `${versionOf('@confluentinc/kafka-javascript')} (librdkafka ${librdkafkaVersion()})`,
      platformatic: versionOf('@platformatic/kafka'),
    };
    log(`machine: ${JSON.stringify(machine)}`);
    log(`clients: ${JSON.stringify(versions)}`);
    for (let r = 1; r <= args.rounds; r += 1) {
      // Rotate the order, so no client always runs first (a cold page cache) or last.
      const shift = (r - 1) % args.clients.length;
      const order = [...args.clients.slice(shift), ...args.clients.slice(0, shift)];
      log(`\n== round ${r}: ${order.join(', ')}`);
      for (const client of order) {
        const measured = await measureClient(context, client, r);
        log(`  ${JSON.stringify(measured)}`);
        results.push(measured);
      }
    }
    const durationS = Math.round((Date.now() - started) / 1000);
    const text = table(results, args.clients);
    const file = writeResultFile(path.join(REPO_ROOT, 'bench', 'results'), 'kafka-clients', {
      machine,
      versions,
      args,
      results,
      table: text,
      durationS,
    });
    console.log(`\n${text}\n`);
    console.log('bold: median of the rounds; in brackets: each round, in round order');
    console.log(
      `${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}, Kafka ${machine.kafka}, ` +
        `PostgreSQL ${machine.postgres}; clients ${JSON.stringify(versions)}; ${durationS} s`,
    );
    console.log(`results: ${path.relative(REPO_ROOT, file)}`);
  } finally {
    delete process.env.KAFKA_CLIENT;
    await stopPostgres?.();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
