/**
 * The fault-injection suite (`npm run chaos`): a whole system as processes (Kafka, PostgreSQL, two
 * master replicas in one consumer group, ships each behind its own link), a workload the whole
 * time, a seeded schedule of faults, then every fault healed, quiescence awaited, the final state
 * read through the public APIs and checked against the recorded history.
 *
 *   npm run chaos -- --minutes 30 --seed 42 --ships 3 --faults all
 *   npm run chaos -- --short                  (what npm test runs: two short runs and the self-check)
 *   npm run chaos -- --check .run/chaos/<run> (checks a recorded run again)
 *
 * Options: --minutes (default 10), --seed (default random, printed), --ships (default 3),
 * --faults (all, or a comma-separated list: see fault-schedule.ts), --defect ack-before-commit
 * with --expect lost-write (a run that passes only if the checker finds that anomaly),
 * --no-build (use dist/ as it is), --log-level (the nodes', default info).
 * Exit status 0 when the run found no anomaly (or, with --expect, found those it expected).
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../harness/infra';
import { buildApps } from '../harness/node-process';
import { ApiClient } from './api-client';
import { ANOMALY_KINDS, checkHistory, type AnomalyKind, type CheckReport } from './checker';
import { ChaosCluster, CREW_KEY, OPERATOR_KEY, errorText } from './cluster';
import { FaultInjector } from './fault-injector';
import { FAULT_KINDS, parseFaultKinds, planFaults, type FaultEvent } from './fault-schedule';
import type { FinalState } from './final-state';
import { readFinalState } from './final-state-reader';
import { HistoryWriter, readHistory } from './history';
import { Prng, randomSeed } from './prng';
import { quiesce } from './quiesce';
import { anomalyCounts, formatReport, replayCommand, type RunSettings } from './report';
import { WorkloadRunner } from './workload-runner';

const CONTENT_TYPES = path.join(__dirname, 'content-types.json');
const RUNS_DIR = path.join(REPO_ROOT, '.run', 'chaos');
const MASTERS = ['master-1', 'master-2'];
/** The fixed seed of the short run in npm test. */
export const SHORT_FIXED_SEED = 20261207;

interface RunRequest extends RunSettings {
  expect: AnomalyKind[];
  logLevel: string;
}

interface RunResult {
  settings: RunRequest;
  dir: string;
  report: CheckReport;
  passed: boolean;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      seed: { type: 'string' },
      ships: { type: 'string', default: '3' },
      faults: { type: 'string', default: 'all' },
      defect: { type: 'string' },
      expect: { type: 'string' },
      short: { type: 'boolean', default: false },
      check: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
    },
    strict: true,
  });
  if (values.check) return recheck(values.check);
  if (!values['no-build']) {
    log('building the apps (nest build master, ship)...');
    buildApps();
  }
  if (values.short) return shortSuite(values['log-level']);

  const minutes = Number(values.minutes);
  const ships = Number(values.ships);
  if (!(minutes > 0))
    throw new Error(`--minutes must be a positive number (got ${values.minutes})`);
  if (!Number.isInteger(ships) || ships < 1 || ships > 26) {
    throw new Error(`--ships must be an integer from 1 to 26 (got ${values.ships})`);
  }
  const seed = values.seed === undefined ? randomSeed() : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer (got ${values.seed})`);
  if (values.defect !== undefined && values.defect !== 'ack-before-commit') {
    throw new Error(`--defect must be ack-before-commit (got ${values.defect})`);
  }
  const result = await runOnce({
    seed,
    minutes,
    ships,
    faults: parseFaultKinds(values.faults),
    defect: values.defect,
    expect: parseExpected(values.expect),
    logLevel: values['log-level'],
  });
  return result.passed ? 0 : 1;
}

/** npm test: a fixed seed, a random one (printed), and the self-check with the seeded defect. */
async function shortSuite(logLevel: string): Promise<number> {
  const runs: RunRequest[] = [
    { seed: SHORT_FIXED_SEED, minutes: 0.6, ships: 3, faults: FAULT_KINDS, expect: [], logLevel },
    { seed: randomSeed(), minutes: 0.6, ships: 3, faults: FAULT_KINDS, expect: [], logLevel },
    {
      seed: SHORT_FIXED_SEED,
      minutes: 0.4,
      ships: 3,
      // Four kill -9 of ships in 24 s with this seed: each meets writes answered, not committed.
      faults: ['kill-ship'],
      defect: 'ack-before-commit',
      expect: ['lost-write'],
      logLevel,
    },
  ];
  log(`short runs: seeds ${runs.map((r) => r.seed).join(', ')} (the last with the seeded defect)`);
  const results: { name: string; passed: boolean; detail: string }[] = [];
  for (const run of runs) {
    const name = `seed ${run.seed}${run.defect ? ` with the seeded defect ${run.defect}` : ''}`;
    try {
      const result = await runOnce(run);
      results.push({
        name,
        passed: result.passed,
        detail: `${result.report.anomalies.length} anomalies; replay: ${replayCommand(run)}`,
      });
    } catch (error) {
      results.push({
        name,
        passed: false,
        detail: `${errorText(error)}; replay: ${replayCommand(run)}`,
      });
    }
  }
  const passed = results.filter((r) => r.passed).length;
  mkdirSync(path.join(REPO_ROOT, '.run'), { recursive: true });
  writeFileSync(
    path.join(REPO_ROOT, '.run', 'chaos-short.json'),
    `${JSON.stringify({ passed, failed: results.length - passed, runs: results }, null, 2)}\n`,
  );
  console.log('\nChaos (short):');
  for (const r of results)
    console.log(`  ${r.passed ? 'passed' : 'FAILED'}  ${r.name}: ${r.detail}`);
  return passed === results.length ? 0 : 1;
}

async function runOnce(request: RunRequest): Promise<RunResult> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(RUNS_DIR, `${stamp}-seed${request.seed}${request.defect ? '-defect' : ''}`);
  mkdirSync(dir, { recursive: true });
  const shipNames = Array.from({ length: request.ships }, (_, i) => `ship-${shipLetter(i)}`);
  const durationMs = Math.round(request.minutes * 60_000);
  const history = new HistoryWriter(path.join(dir, 'history.jsonl'));
  const replay = replayCommand(request);
  log(`run ${path.relative(REPO_ROOT, dir)}: seed ${request.seed}; replay: ${replay}`);
  history.write({
    type: 'run',
    t: history.now(),
    seed: request.seed,
    options: { ...request, faults: [...request.faults] },
    policies: policiesOf(CONTENT_TYPES),
    replay,
    startedAt: new Date().toISOString(),
  });
  const schedule = planFaults({
    seed: request.seed,
    durationMs,
    ships: shipNames,
    masters: MASTERS,
    kinds: request.faults,
  });
  writeFileSync(path.join(dir, 'schedule.json'), `${JSON.stringify(schedule, null, 2)}\n`);
  copyFileSync(CONTENT_TYPES, path.join(dir, 'content-types.json'));

  let finalState: FinalState;
  let quiet: FinalState['quiescence'];
  try {
    ({ finalState, quiet } = await runSystem(request, { dir, history, schedule, shipNames }));
  } catch (error) {
    console.log(`\n[chaos] run with seed ${request.seed} failed: ${errorText(error)}`);
    console.log(`[chaos] replay the same schedule with: ${replay}`);
    throw error;
  }

  const report = checkHistory(readHistory(history.file), finalState);
  writeFileSync(path.join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const passed = judge(report, request.expect);
  console.log(`\n${formatReport(request, report, { dir: path.relative(REPO_ROOT, dir) }, quiet)}`);
  console.log(
    request.expect.length > 0
      ? `  verdict:            ${passed ? 'passed' : 'FAILED'}: expected ${request.expect.join(', ')}`
      : `  verdict:            ${passed ? 'passed' : 'FAILED'}`,
  );
  if (!passed) {
    console.log(`  seed ${request.seed}; replay the same schedule with: ${replay}`);
  } else {
    // The databases and the broker's data are large; the history, state and logs stay.
    for (const data of ['kafka', 'postgres', ...shipNames.map((s) => `${s}.db`)]) {
      rmSync(path.join(dir, data), { recursive: true, force: true });
      rmSync(path.join(dir, `${data}-wal`), { force: true });
      rmSync(path.join(dir, `${data}-shm`), { force: true });
    }
  }
  return { settings: request, dir, report, passed };
}

/**
 * Starts the system, runs the workload under the fault schedule, heals everything, waits for
 * quiescence and reads the final state; stops every process it started, whatever happens.
 */
async function runSystem(
  request: RunRequest,
  run: { dir: string; history: HistoryWriter; schedule: FaultEvent[]; shipNames: string[] },
): Promise<{ finalState: FinalState; quiet: FinalState['quiescence'] }> {
  const { dir, history, schedule, shipNames } = run;
  const masterNames = MASTERS;
  const durationMs = Math.round(request.minutes * 60_000);
  const cluster = new ChaosCluster({
    dir,
    ships: shipNames,
    masters: masterNames,
    contentTypesFile: CONTENT_TYPES,
    logLevel: request.logLevel,
    shipEnv: request.defect ? { NODE_ENV: 'test', SYNC_CHAOS_DEFECT: request.defect } : {},
  });
  cluster.onProcessEvent = (node, event, detail, ready) =>
    history.write({ type: 'process', t: history.now(), node, event, detail, ready });
  activeCluster = cluster;
  try {
    history.write({ type: 'phase', t: history.now(), name: 'setup' });
    await cluster.start();
    const urls = Object.fromEntries([...cluster.nodes].map(([n, node]) => [n, node.process.url]));
    const keys = Object.fromEntries(
      [...cluster.nodes.keys()].map((n) => [n, masterNames.includes(n) ? OPERATOR_KEY : CREW_KEY]),
    );
    const api = new ApiClient(history, urls, keys);
    const prng = new Prng(request.seed, 'workload');
    const workload = new WorkloadRunner(prng.fork('writers'), api, history, {
      ships: shipNames,
      masters: masterNames,
      crewPerShip: 2,
      operators: 2,
      thinkMs: 700,
      resolverThinkMs: 3_000,
    });
    await workload.seedHotDocuments();
    await waitForHotDocuments(api, workload, shipNames);

    const injector = new FaultInjector(cluster, history);
    history.write({ type: 'phase', t: history.now(), name: 'workload' });
    log(`workload for ${request.minutes} min with ${schedule.length} faults`);
    injector.run(schedule, history.now());
    workload.start();
    await new Promise((resolve) => setTimeout(resolve, durationMs));

    history.write({ type: 'phase', t: history.now(), name: 'heal' });
    log('healing: the workload stops, every fault is undone');
    await workload.stop();
    await injector.stop();
    await cluster.healAll();

    history.write({ type: 'phase', t: history.now(), name: 'quiesce' });
    log('waiting for quiescence');
    const quiet = await quiesce(api, prng.fork('healer'), masterNames, shipNames, {
      timeoutMs: Math.max(180_000, durationMs),
    });
    history.write({ type: 'phase', t: history.now(), name: 'final-state', detail: quiet.detail });
    log(
      `quiescence ${quiet.reached ? 'reached' : 'NOT reached'} (${quiet.detail}); reading the final state`,
    );
    const finalState = await readFinalState(
      api,
      readHistory(history.file),
      masterNames,
      shipNames,
      quiet,
    );
    writeFileSync(path.join(dir, 'final-state.json'), `${JSON.stringify(finalState)}\n`);
    history.write({ type: 'phase', t: history.now(), name: 'done' });
    return { finalState, quiet };
  } finally {
    activeCluster = null;
    await cluster.stop();
  }
}

/** The system of the run in progress, stopped on Ctrl-C (the broker and database outlive us). */
let activeCluster: ChaosCluster | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping every process of the run`);
    void (activeCluster?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

/** A run passes with no anomaly, or, when anomalies were expected, with each of those kinds. */
function judge(report: CheckReport, expected: AnomalyKind[]): boolean {
  if (expected.length === 0) return report.anomalies.length === 0;
  const counts = anomalyCounts(report);
  return expected.every((kind) => (counts[kind] ?? 0) > 0);
}

/** The hot documents are on every ship before the faults begin (they are what conflicts need). */
async function waitForHotDocuments(
  api: ApiClient,
  workload: WorkloadRunner,
  ships: string[],
): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const document of workload.model.hot()) {
    for (const ship of ships) {
      for (;;) {
        const answer = await api.call(
          'setup',
          ship,
          'GET',
          `/api/content/${document.type}/${document.id}?locale=${document.locale}`,
          undefined,
          { record: false },
        );
        if (answer.status === 200) break;
        if (Date.now() > deadline) throw new Error(`hot documents did not reach ${ship}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}

function recheck(dir: string): number {
  const history = readHistory(path.join(dir, 'history.jsonl'));
  const state = JSON.parse(readFileSync(path.join(dir, 'final-state.json'), 'utf8')) as FinalState;
  const run = history.find((r) => r.type === 'run');
  const options = (run?.type === 'run' ? run.options : {}) as Partial<RunRequest>;
  const settings: RunRequest = {
    seed: run?.type === 'run' ? run.seed : 0,
    minutes: options.minutes ?? 0,
    ships: options.ships ?? state.ships.length,
    faults: options.faults ?? FAULT_KINDS,
    defect: options.defect,
    expect: options.expect ?? [],
    logLevel: 'info',
  };
  const report = checkHistory(history, state);
  console.log(formatReport(settings, report, { dir }, state.quiescence));
  return judge(report, settings.expect) ? 0 : 1;
}

function parseExpected(text: string | undefined): AnomalyKind[] {
  if (!text) return [];
  const kinds = text.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => !(ANOMALY_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new Error(
      `--expect: unknown anomaly kind(s) ${unknown.join(', ')} (known: ${ANOMALY_KINDS.join(', ')})`,
    );
  }
  return kinds as AnomalyKind[];
}

function policiesOf(file: string): Record<string, string> {
  const types = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { policy?: string }>;
  return Object.fromEntries(
    Object.entries(types).map(([type, spec]) => [type, spec.policy ?? 'manual']),
  );
}

function shipLetter(i: number): string {
  return String.fromCharCode('a'.charCodeAt(0) + i);
}

function log(message: string): void {
  console.error(`[chaos] ${message}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `[chaos] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(2);
  },
);
