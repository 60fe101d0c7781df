/**
 * The master's ingest of ship-updates alone: virtual ships send signed envelopes of `--batch`
 * changes straight to Kafka (no ship process), first creates of new documents, then (with
 * `--updates`) one-field updates of those documents on their current version (fast-forwards).
 * Prints changes/s committed, the master's CPU% and its PostgreSQL backends' CPU% per phase, and
 * how long the master's outbox takes to drain after; writes JSON to bench/results/.
 *
 *   npx nest build master
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/master-ingest.ts \
 *     [--changes 40000] [--ships 2] [--batch 100] [--per-send 10] [--ahead 4000] \
 *     [--updates] [--rounds 1] [--entry label=path/to/main.js ...]
 *
 * Several --entry values (e.g. a copy of the previous build and the current one) are measured in
 * the same run, alternating per round, so their figures compare under the same machine load.
 * BENCH_CPU_PROF=<dir> profiles the master (see bench-fleet.ts).
 */
import { encodeEnvelope, MessageKind, signEnvelope } from '@offline-sync/sync-core';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CompressionTypes, Kafka, logLevel, type Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { appEntry } from '../test/harness/node-process';
import { BenchFleet } from './lib/bench-fleet';
import { cpuMsOf, log, round, sleep, smallData } from './lib/measure';
import { writeResultFile } from './lib/report';

interface Args {
  changes: number;
  ships: number;
  batch: number;
  perSend: number;
  ahead: number;
  updates: boolean;
  rounds: number;
  entries: { label: string; entry: string }[];
}

interface Phase {
  label: string;
  round: number;
  phase: 'create' | 'update';
  changes: number;
  seconds: number;
  changesPerSec: number;
  masterCpuPct: number;
  postgresCpuPct: number;
  /** CPU time per change: the figures that hold when other work shares the machine. */
  masterCpuUsPerChange: number;
  postgresCpuUsPerChange: number;
  /** Master CPU per change until its outbox has drained (the relay's signing and sends too). */
  masterCpuUsPerChangeDrained: number;
  outboxDrainS: number | null;
  /** Ingest transactions of the phase (distinct transaction start times of its envelopes). */
  transactions: number;
  changesPerTransaction: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    changes: 40_000,
    ships: 2,
    batch: 100,
    perSend: 10,
    ahead: 4000,
    updates: false,
    rounds: 1,
    entries: [],
  };
  const numeric: Record<string, 'changes' | 'ships' | 'batch' | 'perSend' | 'ahead' | 'rounds'> = {
    '--changes': 'changes',
    '--ships': 'ships',
    '--batch': 'batch',
    '--per-send': 'perSend',
    '--ahead': 'ahead',
    '--rounds': 'rounds',
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--updates') {
      args.updates = true;
    } else if (flag in numeric) {
      args[numeric[flag]] = Number(value);
      i += 1;
    } else if (flag === '--entry') {
      const at = value.indexOf('=');
      args.entries.push({ label: value.slice(0, at), entry: path.resolve(value.slice(at + 1)) });
      i += 1;
    } else {
      throw new Error(`unknown argument ${flag}`);
    }
  }
  if (args.entries.length === 0) args.entries.push({ label: 'current', entry: appEntry('master') });
  return args;
}

/** One virtual ship's sender: its documents, its next sequence number and its producer. */
class VirtualShip {
  private seq = 0;
  readonly documents: string[] = [];

  constructor(
    private readonly fleet: BenchFleet,
    readonly id: string,
    private readonly producer: Producer,
  ) {}

  /** Sends `count` changes, keeping at most `ahead` of them not yet committed on the master. */
  async send(args: Args, op: 'create' | 'update', count: number): Promise<void> {
    const end = this.seq + count;
    while (this.seq < end) {
      while (this.seq - (await highWater(this.fleet, this.id)) >= args.ahead) await sleep(20);
      const messages = [];
      for (let e = 0; e < args.perSend && this.seq < end; e += 1) {
        const changes = [];
        for (let c = 0; c < args.batch && this.seq < end; c += 1) {
          this.seq += 1;
          let documentId: string;
          if (op === 'create') {
            documentId = uuidv7();
            this.documents.push(documentId);
          } else {
            // Each document once per update phase, on the version the create phase gave it.
            documentId = this.documents[(end - this.seq) % this.documents.length];
          }
          changes.push({
            changeId: uuidv7(),
            seq: this.seq,
            op,
            type: 'item',
            documentId,
            locale: '',
            baseVersion: op === 'create' ? 0 : 1,
            fields:
              op === 'create' ? smallData(this.seq, this.id) : { status: `edited ${this.seq}` },
            editedAt: new Date().toISOString(),
          });
        }
        const envelope = signEnvelope(
          { sender: this.id, kind: MessageKind.ShipChanges, payload: { changes } },
          this.fleet.privateKey(this.id),
        );
        messages.push({ key: this.id, value: encodeEnvelope(envelope) });
      }
      await this.producer.send({
        topic: `${this.fleet.topicPrefix}ship-updates`,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages,
      });
    }
  }

  get sent(): number {
    return this.seq;
  }
}

/** The ship's committed sequence high-water mark: one row, cheap to poll. */
async function highWater(fleet: BenchFleet, ship: string): Promise<number> {
  const rows = await fleet.query<{ high_water: string }>(
    'SELECT high_water FROM ship_sequences WHERE ship_id = $1',
    [ship],
  );
  return rows.length === 0 ? 0 : Number(rows[0].high_water);
}

/** CPU ms used so far by the PostgreSQL backends serving the master's database. */
async function postgresCpuMs(fleet: BenchFleet): Promise<number> {
  const rows = await fleet.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return rows.reduce((sum, r) => sum + cpuMsOf(r.pid), 0);
}

/** Ingest transactions since `since` and their changes, from processed_envelopes (now() = start). */
async function transactionsSince(
  fleet: BenchFleet,
  since: Date,
): Promise<{ transactions: number; changes: number }> {
  const rows = await fleet.query<{ transactions: number; changes: number }>(
    `SELECT count(DISTINCT received_at)::int AS transactions, coalesce(sum(change_count), 0)::int AS changes
       FROM processed_envelopes WHERE received_at >= $1`,
    [since],
  );
  return rows[0];
}

async function pendingOutbox(fleet: BenchFleet): Promise<number> {
  const rows = await fleet.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'",
  );
  return rows[0].n;
}

async function runPhase(
  fleet: BenchFleet,
  ships: VirtualShip[],
  args: Args,
  op: 'create' | 'update',
  label: string,
  roundNo: number,
): Promise<Phase> {
  const perShip = Math.floor(args.changes / ships.length);
  const targets = ships.map((s) => s.sent + perShip);
  // Backends are pooled: sample the same pids before and after (new ones count from zero).
  const pgBefore = await postgresCpuMs(fleet);
  const masterBefore = cpuMsOf(fleet.master.pid);
  const [{ now: startedAt }] = await fleet.query<{ now: Date }>('SELECT now()');
  const start = performance.now();
  await Promise.all(ships.map((s) => s.send(args, op, perShip)));
  for (let i = 0; i < ships.length; i += 1) {
    while ((await highWater(fleet, ships[i].id)) < targets[i]) await sleep(20);
  }
  const ms = performance.now() - start;
  const masterMs = cpuMsOf(fleet.master.pid) - masterBefore;
  const pgMs = (await postgresCpuMs(fleet)) - pgBefore;
  const drainStart = performance.now();
  let outboxDrainS: number | null = null;
  while (performance.now() - drainStart < 120_000) {
    if ((await pendingOutbox(fleet)) === 0) {
      outboxDrainS = round((performance.now() - drainStart) / 1000, 1);
      break;
    }
    await sleep(100);
  }
  const masterDrainedMs = cpuMsOf(fleet.master.pid) - masterBefore;
  const changes = perShip * ships.length;
  const batches = await transactionsSince(fleet, startedAt);
  const phase: Phase = {
    label,
    round: roundNo,
    phase: op,
    changes,
    seconds: round(ms / 1000, 1),
    changesPerSec: round((changes * 1000) / ms),
    masterCpuPct: round((masterMs * 100) / ms),
    postgresCpuPct: round((pgMs * 100) / ms),
    masterCpuUsPerChange: round((masterMs * 1000) / changes),
    postgresCpuUsPerChange: round((pgMs * 1000) / changes),
    masterCpuUsPerChangeDrained: round((masterDrainedMs * 1000) / changes),
    outboxDrainS,
    transactions: batches.transactions,
    changesPerTransaction: round(batches.changes / Math.max(1, batches.transactions)),
  };
  log(`  ${JSON.stringify(phase)}`);
  return phase;
}

async function benchMaster(
  args: Args,
  label: string,
  entry: string,
  roundNo: number,
): Promise<Phase[]> {
  const shipIds = Array.from({ length: args.ships }, (_, i) => `ship-v${i + 1}`);
  const fleet = await BenchFleet.start({ ships: [], virtualShips: shipIds, masterEntry: entry });
  const kafka = new Kafka({
    clientId: 'bench-master-ingest',
    brokers: fleet.kafka.broker.brokers,
    logLevel: logLevel.NOTHING,
  });
  const producers: Producer[] = [];
  try {
    const ships: VirtualShip[] = [];
    for (const id of shipIds) {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      producers.push(producer);
      ships.push(new VirtualShip(fleet, id, producer));
    }
    const phases = [await runPhase(fleet, ships, args, 'create', label, roundNo)];
    if (args.updates) phases.push(await runPhase(fleet, ships, args, 'update', label, roundNo));
    return phases;
  } finally {
    await Promise.all(producers.map((p) => p.disconnect().catch(() => undefined)));
    await fleet.stop();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const phases: Phase[] = [];
  for (let roundNo = 1; roundNo <= args.rounds; roundNo += 1) {
    // Alternate the order per round, so neither build always runs first.
    const order = roundNo % 2 === 1 ? args.entries : [...args.entries].reverse();
    for (const { label, entry } of order) {
      log(`round ${roundNo}: ${label} (${entry})`);
      phases.push(...(await benchMaster(args, label, entry, roundNo)));
    }
  }
  console.table(phases);
  const file = writeResultFile(path.join(__dirname, 'results'), 'master-ingest', {
    node: process.version,
    loadAverage: readFileSync('/proc/loadavg', 'utf8').trim(),
    args,
    phases,
  });
  console.log(`written ${path.relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
