/**
 * The benchmark suite: real Kafka, PostgreSQL, the master and ships as processes (the end-to-end
 * harness), one scenario per file in bench/scenarios. Prints a table, writes JSON to
 * bench/results/. Figures are reported next to their targets; nothing here fails on time.
 *
 *   npm run bench [-- --only ingest,backlog] [--quick] [--<size> <n> ...] [--no-build]
 *
 * Sizes: see bench/lib/sizes.ts (e.g. --backlog 20000 --ingest-seconds 20).
 */
import * as path from 'node:path';
import { REPO_ROOT, runScript } from '../test/harness/infra';
import { buildApps } from '../test/harness/node-process';
import { stopEverything } from './lib/cleanup';
import { machineFacts } from './lib/machine';
import { log } from './lib/measure';
import { table, writeResults } from './lib/report';
import type { BenchContext, Row, Scenario } from './lib/scenario';
import { FULL_SIZES, QUICK_SIZES, type Sizes } from './lib/sizes';
import { ingest } from './scenarios/ingest.bench';
import { backlog } from './scenarios/backlog.bench';
import { fanout } from './scenarios/fanout.bench';
import { latency } from './scenarios/latency.bench';
import { wireBytes } from './scenarios/wire-bytes.bench';
import { satellite } from './scenarios/satellite.bench';
import { conflicts } from './scenarios/conflicts.bench';
import { memory } from './scenarios/memory.bench';
import { peer } from './scenarios/peer.bench';
import { fleet } from './scenarios/fleet.bench';

const SCENARIOS: Scenario[] = [
  ingest,
  backlog,
  fanout,
  latency,
  wireBytes,
  satellite,
  conflicts,
  memory,
  peer,
  fleet,
];

interface Args {
  only: string[] | null;
  build: boolean;
  sizes: Sizes;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function parseArgs(argv: string[]): Args {
  const quick = argv.includes('--quick');
  const args: Args = { only: null, build: true, sizes: { ...(quick ? QUICK_SIZES : FULL_SIZES) } };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--quick') continue;
    if (flag === '--no-build') {
      args.build = false;
      continue;
    }
    if (flag === '--only') {
      args.only = argv[i + 1].split(',');
      i += 1;
      continue;
    }
    const key = camel(flag.replace(/^--/, '')) as keyof Sizes;
    if (flag.startsWith('--') && key in args.sizes && !Number.isNaN(Number(argv[i + 1]))) {
      args.sizes[key] = Number(argv[i + 1]);
      i += 1;
      continue;
    }
    const names = SCENARIOS.map((s) => s.name).join(', ');
    const sizes = Object.keys(args.sizes)
      .map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)
      .join(' ');
    throw new Error(`unknown argument ${flag}\nscenarios: ${names}\nsizes: ${sizes}`);
  }
  for (const name of args.only ?? []) {
    if (!SCENARIOS.some((s) => s.name === name)) throw new Error(`no scenario named ${name}`);
  }
  return args;
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
      log(`\n${signal}: stopping what the run started ...`);
      void stopEverything()
        .then(() => stopPostgres?.())
        .finally(() => process.exit(130));
    });
  }
  const context: BenchContext = { sizes: args.sizes, results: {} };
  const rows: Row[] = [];
  try {
    const machine = await machineFacts(process.env.DATABASE_URL ?? '');
    log(`machine: ${JSON.stringify(machine)}`);
    for (const scenario of SCENARIOS) {
      if (args.only && !args.only.includes(scenario.name)) continue;
      log(`\n== ${scenario.title}`);
      const t0 = Date.now();
      try {
        const result = await scenario.run(context);
        context.results[scenario.name] = result;
        rows.push(...result.rows);
        for (const row of result.rows) {
          log(`  ${row.metric}: ${row.value ?? 'not reached'} ${row.unit}`);
        }
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`  scenario failed: ${message}`);
        rows.push({
          scenario: scenario.title,
          metric: 'error',
          value: null,
          unit: '',
          note: message.split('\n')[0].slice(0, 200),
        });
      }
      log(`  (${Math.round((Date.now() - t0) / 1000)} s)`);
    }
    const durationS = Math.round((Date.now() - started) / 1000);
    const file = writeResults(path.join(REPO_ROOT, 'bench', 'results'), {
      machine,
      args,
      rows,
      scenarios: Object.fromEntries(
        Object.entries(context.results).map(([name, r]) => [
          name,
          { details: r.details, memory: r.memory },
        ]),
      ),
      durationS,
    });
    console.log(`\n${table(rows)}\n`);
    console.log(
      `${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryMb} MB, Node ${machine.node}, ` +
        `Kafka ${machine.kafka}, PostgreSQL ${machine.postgres}, commit ${machine.gitCommit.slice(0, 10)}` +
        `${machine.gitDirty ? ' (+ uncommitted changes)' : ''}; ${durationS} s`,
    );
    console.log(`results: ${path.relative(REPO_ROOT, file)}`);
  } finally {
    await stopPostgres?.();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
