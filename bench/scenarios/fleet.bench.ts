/**
 * Scenario 10: one master replica set serving a fleet of 100, 1,000 and 10,000 ships, played at
 * the protocol level by bench/fleet-sim (every ship with its own key, heartbeats every 30 s,
 * change envelopes at an aggregate 2,000 changes/s, a sample reading its outcomes), against a
 * Kafka broker and database of the scenario's own and two master replicas as processes.
 */
import { loadavg } from 'node:os';
import { FleetSim } from '../fleet-sim';
import { FleetRig } from '../lib/fleet-rig';
import { BENCH_KEY } from '../lib/bench-fleet';
import { compareOutcomeTopics } from '../lib/outcome-topic-schemes';
import {
  CpuMeter,
  cpuMsOf,
  describeCpu,
  log,
  memoryOf,
  percentile,
  round,
  sleep,
  until,
} from '../lib/measure';
import { DatabaseCpu, postmasterOf } from '../lib/processes';
import type { Row, Scenario, ScenarioResult } from '../lib/scenario';
import type { Sizes } from '../lib/sizes';

const TITLE = '10 fleet';
/** The fleet sizes measured, up to --fleet-max. */
const FLEETS = [100, 1000, 10_000];
/** Share of the fleet that goes silent at once in the flap. */
const FLAP_SHARE = 0.3;

/** The targets, set for a fleet of 10,000 ships and printed beside every fleet's figures. */
const TARGET = {
  replicaCpu: '< 50',
  replicaRssMb: '< 300',
  outcomeP99Ms: '< 2000',
  metricsSeries: '< 5000',
  shipsPageMs: '< 100',
  startupMs: '< 10000',
};

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { headers: { 'x-api-key': BENCH_KEY } });
  return { status: response.status, text: await response.text() };
}

/** Median of `times` runs of an HTTP GET, and the last body's size. */
async function medianGet(url: string, times = 5): Promise<{ ms: number; bytes: number }> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < times; i += 1) {
    const { ms: took, value } = await timed(() => get(url));
    if (value.status !== 200) throw new Error(`GET ${url}: ${value.status} ${value.text}`);
    ms.push(took);
    bytes = Buffer.byteLength(value.text);
  }
  return {
    ms: round(
      percentile(
        [...ms].sort((a, b) => a - b),
        50,
      ),
      1,
    ),
    bytes,
  };
}

/** Sum of a metric's samples (over label sets) in a Prometheus text scrape. */
function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

async function sweepFigures(rig: FleetRig): Promise<{ count: number; meanMs: number | null }> {
  let count = 0;
  let seconds = 0;
  for (const replica of rig.replicas) {
    if (!replica.isRunning()) continue;
    const { text } = await get(`${replica.url}/api/offline-sync/metrics`);
    count += metricSum(text, 'offline_sync_offline_sweep_seconds_count');
    seconds += metricSum(text, 'offline_sync_offline_sweep_seconds_sum');
  }
  return { count, meanMs: count > 0 ? round((seconds * 1000) / count, 2) : null };
}

function delaysOf(delays: number[]): { p50: number | null; p99: number | null; n: number } {
  const sorted = [...delays].sort((a, b) => a - b);
  return {
    p50: sorted.length ? round(percentile(sorted, 50)) : null,
    p99: sorted.length ? round(percentile(sorted, 99)) : null,
    n: sorted.length,
  };
}

async function measureFleet(ships: number, sizes: Sizes): Promise<ScenarioResult> {
  const scenario = `${TITLE} N=${ships.toLocaleString('en-US')}`;
  const offlineAfterMs = sizes.fleetOfflineAfterSeconds * 1000;
  const rows: Row[] = [];
  const details: Record<string, unknown> = { ships, loadAverageAtStart: loadavg() };
  const row = (metric: string, value: number | null, unit: string, extra: Partial<Row> = {}) =>
    rows.push({ scenario, metric, value, unit, ...extra });

  log(`  N=${ships}: broker, database, keys, two replicas ...`);
  const rig = await FleetRig.start({
    ships,
    masterEnv: {
      SYNC_SHIP_OFFLINE_AFTER: String(offlineAfterMs),
      KAFKA_SHIP_UPDATES_PARTITIONS: '6',
      KAFKA_OUTCOME_TOPIC_GROUPS: String(sizes.fleetOutcomeGroups),
    },
  });
  details.outcomeTopicGroups = sizes.fleetOutcomeGroups;
  let sim: FleetSim | null = null;
  let databaseCpu: DatabaseCpu | null = null;
  try {
    details.coldStartMs = [await rig.startReplica(0), await rig.startReplica(1)];
    await rig.untilGroup(2, 60_000);
    const [a, b] = rig.replicas;
    sim = new FleetSim({
      kafka: { brokers: rig.broker.brokers, clientId: 'fleet-sim' },
      topics: rig.config.topics,
      ships: rig.identities,
      masterPublicKey: rig.masterPublicKey,
      contentType: 'item',
      heartbeatIntervalMs: sizes.fleetHeartbeatSeconds * 1000,
      sampled: Math.min(sizes.fleetSampled, ships),
      updateReaders: 2,
      groupPrefix: 'fleet-ship',
    });
    await sim.start();
    const fleetSim = sim;

    // Every ship announces itself; then the fleet's steady heartbeats.
    const registered = await timed(async () => {
      fleetSim.heartbeatAll();
      return until(async () => (await rig.fleetCounts()).online === ships, {
        limitMs: sizes.waitLimitSeconds * 1000,
        intervalMs: 500,
      });
    });
    row('every ship registered (a heartbeat each at once)', registered.value, 'ms');

    // The cluster may serve other databases: only this fleet's backends are counted.
    const postmaster = postmasterOf(rig.databaseUrl);
    databaseCpu =
      postmaster === null
        ? null
        : new DatabaseCpu(postmaster, new URL(rig.databaseUrl).pathname.slice(1));
    const postgres = databaseCpu?.usedMs ?? ((): number => 0);
    /** CPU ms so far of both replicas and this fleet's database backends. */
    const ingestCpuMs = (): number => cpuMsOf(a.pid) + cpuMsOf(b.pid) + postgres();

    // --- the same processes with the whole fleet silent (shorter than the offline threshold):
    // what the replicas and the database cost without a heartbeat, to subtract from the next.
    const everyShip = fleetSim.ships.map((ship) => ship.id);
    fleetSim.silence(everyShip);
    await sleep(2000);
    const idleMs = Math.min(30, sizes.fleetSeconds) * 1000;
    const idleStart = ingestCpuMs();
    await sleep(idleMs);
    const idleCpuMs = ingestCpuMs() - idleStart;
    fleetSim.resume(everyShip);
    await sleep(10_000);

    // --- heartbeats only
    const quiet = CpuMeter.start({
      'master-a': a.pid,
      'master-b': b.pid,
      postgres,
      kafka: rig.broker.pid,
    });
    const beatsBefore = fleetSim.stats.heartbeatsSent;
    const simCpuBefore = cpuMsOf(process.pid);
    const sweepsBefore = await sweepFigures(rig);
    const windowStart = ingestCpuMs();
    const windowStartedAt = Date.now();
    await sleep(sizes.fleetSeconds * 1000);
    const cpu = quiet.percent();
    const beats = fleetSim.stats.heartbeatsSent - beatsBefore;
    const windowMs = Date.now() - windowStartedAt;
    // Both replicas' and the database's CPU over the window, less what they use idle.
    const aboveIdleMs = ingestCpuMs() - windowStart - (idleCpuMs * windowMs) / idleMs;
    const sweeps = await sweepFigures(rig);
    details.heartbeatWindow = {
      cpu,
      beats,
      windowMs,
      idle: { ms: idleMs, cpuMs: idleCpuMs },
      aboveIdleMs,
      simCpuMs: cpuMsOf(process.pid) - simCpuBefore,
      sweepsBefore,
      sweeps,
    };
    for (const [name, replica] of [
      ['master-a', a],
      ['master-b', b],
    ] as const) {
      row(`${name} CPU, heartbeats every ${sizes.fleetHeartbeatSeconds} s`, cpu[name], '% core', {
        target: TARGET.replicaCpu,
        note: describeCpu(cpu),
      });
      row(`${name} RSS`, memoryOf(replica.pid)?.rssMb ?? null, 'MB', {
        target: TARGET.replicaRssMb,
      });
    }
    row('PostgreSQL CPU, heartbeats only', cpu.postgres, '% core');
    const perBeatUs = beats > 0 ? (aboveIdleMs * 1000) / beats : null;
    row(
      'heartbeat ingest cost (replicas + PostgreSQL CPU above idle, per heartbeat)',
      perBeatUs === null ? null : round(perBeatUs),
      'µs',
      {
        note: `${beats} heartbeats in ${round(windowMs / 1000)} s; idle ${round((idleCpuMs * 100) / idleMs, 1)}% core, with heartbeats ${round(((ingestCpuMs() - windowStart) * 100) / windowMs, 1)}% core`,
      },
    );
    row(
      `heartbeat ingest cost per 1,000 ships (a heartbeat each every ${sizes.fleetHeartbeatSeconds} s)`,
      perBeatUs === null
        ? null
        : round((perBeatUs * 1000 * 100) / (sizes.fleetHeartbeatSeconds * 1e6), 2),
      '% core',
    );
    row('offline sweep, mean duration', sweeps.meanMs, 'ms', {
      note: `${sweeps.count - sweepsBefore.count} sweeps in the window`,
    });

    // --- what the master serves about the fleet
    const metrics = await medianGet(`${a.url}/api/offline-sync/metrics`);
    const { text } = await get(`${a.url}/api/offline-sync/metrics`);
    const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    row('/metrics series', series, '', { target: TARGET.metricsSeries });
    row('/metrics scrape time (median of 5)', metrics.ms, 'ms', { note: `${metrics.bytes} bytes` });
    const pages = Math.max(1, Math.ceil(ships / 50));
    const pageTimes: Record<string, number> = {};
    for (const [label, query] of [
      ['first page', 'page=1'],
      ['last page', `page=${pages}`],
      ['offline first page', 'status=offline'],
      ['most updates behind', 'sort=updates-behind'],
      ['silent longest', 'sort=last-seen'],
    ]) {
      pageTimes[label] = (await medianGet(`${a.url}/api/offline-sync/ships?${query}`)).ms;
    }
    row(
      'ships API page of 50 (median; worst of 5 queries)',
      Math.max(...Object.values(pageTimes)),
      'ms',
      {
        target: TARGET.shipsPageMs,
        note: Object.entries(pageTimes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      },
    );
    const status = await medianGet(`${a.url}/api/offline-sync/status`);
    const health = await medianGet(`${a.url}/api/offline-sync/health`);
    row('status API (median)', status.ms, 'ms');
    row('health detail (median)', health.ms, 'ms', { note: `${health.bytes} bytes` });

    // --- changes at the aggregate rate, spread over the fleet
    log(`  N=${ships}: ${sizes.fleetChangeRate} changes/s ...`);
    fleetSim.setChangeRate(sizes.fleetChangeRate);
    await sleep(10_000);
    fleetSim.takeOutcomeDelays();
    fleetSim.takeUpdateDelays();
    const changesBefore = fleetSim.stats.changesSent;
    const busy = CpuMeter.start({
      'master-a': a.pid,
      'master-b': b.pid,
      postgres,
      kafka: rig.broker.pid,
    });
    await sleep(sizes.fleetSeconds * 1000);
    const busyCpu = busy.percent();
    const changeRate = (fleetSim.stats.changesSent - changesBefore) / sizes.fleetSeconds;
    const outcomes = delaysOf(fleetSim.takeOutcomeDelays());
    const updates = delaysOf(fleetSim.takeUpdateDelays());
    const [backlog] = await rig.query<{ n: number; outcomes: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE kind = 'change-outcomes')::int AS outcomes
         FROM outbox WHERE status = 'pending'`,
    );
    const ingestLag = await rig.groupLag(rig.config.topics.shipUpdates).catch(() => null);
    fleetSim.setChangeRate(0);
    const drained = await until(() => Promise.resolve(fleetSim.undelivered().length === 0), {
      limitMs: sizes.waitLimitSeconds * 1000,
      intervalMs: 500,
    });
    details.changeWindow = {
      ingestLag,
      cpu: busyCpu,
      changeRate,
      outcomes,
      updates,
      backlog: backlog.n,
      drained,
    };
    row(`changes sent (aggregate, over ${ships} ships)`, round(changeRate), '/s', {
      note: `target rate ${sizes.fleetChangeRate}/s`,
    });
    const channel =
      sizes.fleetOutcomeGroups === 0
        ? 'an outcome topic per ship'
        : `${sizes.fleetOutcomeGroups} shared outcome topics (KAFKA_OUTCOME_TOPIC_GROUPS)`;
    row('outcome delay p50, sampled ships', outcomes.p50, 'ms', {
      note: `${outcomes.n} outcomes; ${channel}`,
    });
    row('outcome delay p99, sampled ships', outcomes.p99, 'ms', {
      target: TARGET.outcomeP99Ms,
      note: `${drained === null ? 'some sampled outcomes never arrived; ' : ''}at the window's end: ship-updates ${ingestLag} envelopes not ingested, outbox ${backlog.n} rows not sent (${backlog.outcomes} of them outcomes)`,
    });
    const read = fleetSim.outcomeBytes();
    const own = fleetSim.stats.outcomes;
    const ownOutcomes = Object.values(own).reduce((sum, n) => sum + n, 0);
    row(
      'outcome bytes a sampled ship reads per outcome of its own',
      ownOutcomes === 0 ? null : round((read.own + read.others) / ownOutcomes),
      'B',
      { note: `its own ${read.own} B, other ships' ${read.others} B passed over; ${channel}` },
    );
    row('master update delay p99 (update readers)', updates.p99, 'ms', {
      note: `p50 ${updates.p50} ms, ${updates.n} updates`,
    });
    for (const name of ['master-a', 'master-b'] as const) {
      row(`${name} CPU, with changes`, busyCpu[name], '% core', { note: describeCpu(busyCpu) });
      row(
        `${name} RSS, with changes`,
        memoryOf(rig.replicas[name === 'master-a' ? 0 : 1].pid)?.rssMb ?? null,
        'MB',
        {
          target: TARGET.replicaRssMb,
        },
      );
    }
    row('PostgreSQL CPU, with changes', busyCpu.postgres, '% core');
    const topics = await timed(() =>
      rig.topicCounts().catch((error: unknown) => (error instanceof Error ? error : null)),
    );
    const counted = topics.value instanceof Error || topics.value === null ? null : topics.value;
    row('broker RSS', memoryOf(rig.broker.pid)?.rssMb ?? null, 'MB', {
      note:
        counted === null
          ? `topics not counted: ${topics.value instanceof Error ? topics.value.message : 'no answer'}`
          : `${counted.topics} topics (${counted.outcomeTopics} outcome topics), ${counted.partitions} partitions`,
    });
    row('broker partitions', counted?.partitions ?? null, '', {
      note: `metadata of every topic read in ${round(topics.ms)} ms`,
    });

    // --- 30% of the fleet goes silent at once, and comes back
    log(`  N=${ships}: ${FLAP_SHARE * 100}% of the fleet silent ...`);
    const silent = fleetSim.ships.filter((_, i) => i % 10 < FLAP_SHARE * 10);
    const silentIds = new Set(silent.map((s) => s.id));
    fleetSim.silence(silentIds);
    let falseOffline = 0;
    const exactAt = await until(
      async () => {
        const offline = await rig.query<{ id: string }>(
          `SELECT id FROM ships WHERE status = 'offline'`,
        );
        falseOffline = Math.max(falseOffline, offline.filter((r) => !silentIds.has(r.id)).length);
        return offline.length === silentIds.size && offline.every((r) => silentIds.has(r.id));
      },
      { limitMs: offlineAfterMs + sizes.waitLimitSeconds * 1000, intervalMs: 500 },
    );
    // Each silent ship's last heartbeat came within one heartbeat interval before the silence;
    // the last of them crosses SYNC_SHIP_OFFLINE_AFTER at silencedAt + offlineAfterMs at the latest.
    const pastThreshold = exactAt === null ? null : Math.max(0, exactAt - offlineAfterMs);
    const sweepIntervalMs = Math.min(15_000, Math.max(250, Math.floor(offlineAfterMs / 4)));
    row(
      `registry exact after ${silentIds.size} ships went silent: past the offline threshold`,
      pastThreshold === null ? null : round(pastThreshold / 1000, 1),
      's',
      {
        target: `≤ ${sweepIntervalMs / 1000}`,
        note: `sweep interval ${sweepIntervalMs / 1000} s; ${falseOffline} ships wrongly offline at any poll`,
      },
    );
    fleetSim.resume(silentIds);
    const back = await until(async () => (await rig.fleetCounts()).online === ships, {
      limitMs: sizes.waitLimitSeconds * 1000,
      intervalMs: 250,
    });
    row('registry exact after they came back', back === null ? null : round(back / 1000, 1), 's');

    // --- a replica restarts with the whole fleet registered; another dies
    log(`  N=${ships}: restarts ...`);
    const leaving = Date.now();
    await b.stop();
    const afterLeave = await rig.untilGroup(1, 120_000);
    row(
      'rebalance after a replica stops (SIGTERM)',
      afterLeave === null ? null : round((Date.now() - leaving) / 1000, 1),
      's',
    );
    const startup = await rig.startReplica(1);
    row(`master start-up to ready, ${ships} ships registered`, startup, 'ms', {
      target: TARGET.startupMs,
    });
    await rig.untilGroup(2, 120_000);
    fleetSim.setChangeRate(sizes.fleetChangeRate / 4);
    await sleep(5000);
    fleetSim.takeOutcomeDelays();
    const killedAt = Date.now();
    await a.kill9();
    const afterKill = await rig.untilGroup(1, 180_000);
    await sleep(10_000);
    const aroundKill = delaysOf(fleetSim.takeOutcomeDelays());
    fleetSim.setChangeRate(0);
    row(
      'rebalance after a replica dies (kill -9)',
      afterKill === null ? null : round((Date.now() - killedAt - 10_000) / 1000, 1),
      's',
      {
        note: `KAFKA_SESSION_TIMEOUT ${rig.config.sessionTimeoutMs / 1000} s; outcome delay p99 across it ${aroundKill.p99} ms`,
      },
    );

    details.sim = { ...fleetSim.stats, refused: fleetSim.stats.refused.slice(0, 10) };
    await fleetSim.stop(5000);
    sim = null;
    for (const replica of rig.replicas) await replica.stop();
    if (ships === Math.max(...FLEETS.filter((n) => n <= sizes.fleetMax))) {
      // The same broker, its fleet's topics still there, nothing else running.
      log(`  N=${ships}: outcome topics, per ship vs shared ...`);
      const comparison = await compareOutcomeTopics({
        brokers: rig.broker.brokers,
        brokerPid: rig.broker.pid,
        ships: rig.identities.map((s) => s.id),
        rate: sizes.fleetChangeRate,
        seconds: Math.min(30, sizes.fleetSeconds),
      });
      details.outcomeTopics = comparison;
      for (const scheme of comparison) {
        rows.push({
          scenario: `${scenario} outcome topics`,
          metric: `${scheme.scheme}: delay p99 (produce → read by its ship)`,
          value: scheme.delayP99Ms,
          unit: 'ms',
          note: `p50 ${scheme.delayP50Ms} ms; producer ${scheme.producerCpu}% core, broker ${scheme.brokerCpu}% core; ${scheme.bytesPerOwnOutcome} bytes read per own outcome; first send to all (metadata) ${scheme.warmupMs} ms; created in ${scheme.createMs} ms`,
        });
      }
    }
    details.loadAverageAtEnd = loadavg();
    return { rows, details };
  } catch (error) {
    // What was measured before stands; the failure is a row of its own.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`  N=${ships} failed: ${message}`);
    row('error', null, '', { note: message.split('\n')[0].slice(0, 200) });
    details.error = message;
    return { rows, details };
  } finally {
    databaseCpu?.stop();
    await sim?.stop(5000).catch(() => undefined);
    await rig.stop();
  }
}

/**
 * What each further ship costs while it only heartbeats: the difference in CPU of the replicas
 * and PostgreSQL between the smallest and the largest fleet measured, per 1,000 ships.
 */
function marginalRows(details: Record<string, unknown>): Row[] {
  const windows = Object.entries(details)
    .map(([n, d]) => ({
      ships: Number(n),
      cpu: (d as { heartbeatWindow?: { cpu: Record<string, number> } }).heartbeatWindow?.cpu,
    }))
    .filter((w): w is { ships: number; cpu: Record<string, number> } => w.cpu !== undefined)
    .sort((x, y) => x.ships - y.ships);
  if (windows.length < 2) return [];
  const [small, large] = [windows[0], windows[windows.length - 1]];
  const per1000 = (key: (cpu: Record<string, number>) => number): number =>
    round(((key(large.cpu) - key(small.cpu)) * 1000) / (large.ships - small.ships), 2);
  const scenario = `${TITLE} marginal`;
  const note = `N=${small.ships} → N=${large.ships}, heartbeats only`;
  return [
    {
      scenario,
      metric: 'replicas CPU per 1,000 ships',
      value: per1000((c) => c['master-a'] + c['master-b']),
      unit: '% core',
      note,
    },
    {
      scenario,
      metric: 'PostgreSQL CPU per 1,000 ships',
      value: per1000((c) => c.postgres),
      unit: '% core',
      note,
    },
  ];
}

export const fleet: Scenario = {
  name: 'fleet',
  title: `${TITLE} scale`,
  async run(context): Promise<ScenarioResult> {
    const rows: Row[] = [];
    const details: Record<string, unknown> = {};
    for (const ships of FLEETS.filter(
      (n) => n >= context.sizes.fleetMin && n <= context.sizes.fleetMax,
    )) {
      const result = await measureFleet(ships, context.sizes);
      rows.push(...result.rows);
      details[String(ships)] = result.details;
      for (const r of result.rows)
        log(`  ${r.scenario} ${r.metric}: ${r.value ?? 'not reached'} ${r.unit}`);
    }
    rows.push(...marginalRows(details));
    return { rows, details };
  },
};
