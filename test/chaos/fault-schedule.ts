import { Prng } from './prng';

/** Every kind of fault the suite injects (the `--faults` option takes a subset). */
export const FAULT_KINDS = [
  'link-cut',
  'link-shape',
  'link-stall',
  'kill-ship',
  'kill-master',
  'kill-broker',
  'stop-postgres',
  'pause',
  'clock-skew',
  'dark-ship',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What a fault is done to: a ship's link or process, a master replica, the broker, the database. */
export type FaultTarget = string;

export interface FaultEvent {
  /** Position in the schedule, from 1. */
  id: number;
  /** Milliseconds after the workload starts. */
  at: number;
  /** How long until it is undone (the link restored, the process started again...). */
  durationMs: number;
  kind: FaultKind;
  target: FaultTarget;
  params: FaultParams;
}

export interface FaultParams {
  /** link-shape: one-way delay and bandwidth (0 = unlimited). */
  latencyMs?: number;
  bandwidthBytesPerSec?: number;
  /** clock-skew: added to the ship's clock. */
  clockOffsetMs?: number;
  /** stop-postgres: `fast` (clean shutdown) or `immediate` (a crash: recovery from the WAL). */
  mode?: 'fast' | 'immediate';
}

export interface ScheduleOptions {
  seed: number;
  /** Length of the workload; every fault is undone before it ends. */
  durationMs: number;
  ships: readonly string[];
  masters: readonly string[];
  kinds: readonly FaultKind[];
  /** Mean gap between two fault starts (a Poisson process); default 4 s. */
  meanGapMs?: number;
}

export const BROKER = 'kafka';
export const DATABASE = 'postgres';

/** Range of a fault's duration per kind, in ms (dark-ship: a share of the run instead). */
const DURATION_MS: Record<Exclude<FaultKind, 'dark-ship'>, [number, number]> = {
  'link-cut': [2_000, 25_000],
  'link-shape': [5_000, 40_000],
  'link-stall': [2_000, 20_000],
  'kill-ship': [500, 8_000],
  'kill-master': [500, 10_000],
  'kill-broker': [1_000, 12_000],
  'stop-postgres': [1_000, 12_000],
  pause: [1_000, 15_000],
  'clock-skew': [10_000, 60_000],
};

/** Faults end this long before the workload does, so the last writes meet a healthy system too. */
const QUIET_END_MS = 3_000;

/**
 * The fault schedule of a run, a pure function of its options: the same seed gives the same
 * faults at the same offsets, so a failing run can be replayed. Faults overlap freely (a link
 * drops while the master restarts while the database is down), except that one thing has one
 * fault at a time: a ship's link, a process, the broker, the database. Every enabled kind comes
 * once before any comes twice, so short runs see all of them; one ship may stay dark for a long
 * stretch of the run.
 */
export function planFaults(options: ScheduleOptions): FaultEvent[] {
  const prng = new Prng(options.seed, 'faults');
  const end = options.durationMs - QUIET_END_MS;
  const busyUntil = new Map<string, number>();
  const events: Omit<FaultEvent, 'id'>[] = [];
  const kinds = options.kinds.filter((kind) => kind !== 'dark-ship' || options.ships.length > 0);

  if (kinds.includes('dark-ship') && options.ships.length > 0 && end > 10_000) {
    const ship = prng.pick(options.ships);
    const at = Math.round(prng.between(0.05, 0.3) * end);
    const durationMs = Math.round(Math.min(end - at, prng.between(0.3, 0.5) * end));
    events.push({ at, durationMs, kind: 'dark-ship', target: ship, params: {} });
    busyUntil.set(resourceOf('dark-ship', ship), at + durationMs);
  }

  const rotation = shuffled(
    prng,
    kinds.filter((kind) => kind !== 'dark-ship'),
  );
  const meanGap = options.meanGapMs ?? 4_000;
  let at = Math.round(prng.exponential(meanGap / 2));
  let placed = 0;
  while (rotation.length > 0 && at < end - 1_000) {
    const kind = placed < rotation.length ? rotation[placed] : prng.pick(rotation);
    const free = targetsOf(kind, options).filter(
      (target) => (busyUntil.get(resourceOf(kind, target)) ?? 0) <= at,
    );
    if (free.length > 0) {
      const target = prng.pick(free);
      const [min, max] = DURATION_MS[kind];
      const durationMs = Math.round(Math.min(prng.between(min, max), end - at));
      events.push({ at, durationMs, kind, target, params: paramsOf(prng, kind) });
      // Room after a fault before the same thing takes another (a restart takes a while).
      busyUntil.set(resourceOf(kind, target), at + durationMs + 3_000);
      placed += 1;
    }
    at += Math.max(200, Math.round(prng.exponential(meanGap)));
  }
  return events.sort((a, b) => a.at - b.at).map((event, i) => ({ id: i + 1, ...event }));
}

/** The things a kind of fault can be done to. */
export function targetsOf(
  kind: FaultKind,
  options: Pick<ScheduleOptions, 'ships' | 'masters'>,
): FaultTarget[] {
  switch (kind) {
    case 'link-cut':
    case 'link-shape':
    case 'link-stall':
    case 'kill-ship':
    case 'clock-skew':
    case 'dark-ship':
      return [...options.ships];
    case 'kill-master':
      return [...options.masters];
    case 'kill-broker':
      return [BROKER];
    case 'stop-postgres':
      return [DATABASE];
    case 'pause':
      return [...options.ships, ...options.masters, BROKER];
  }
}

/** The one thing a fault occupies while it lasts. */
export function resourceOf(kind: FaultKind, target: FaultTarget): string {
  switch (kind) {
    case 'link-cut':
    case 'link-shape':
    case 'link-stall':
    case 'dark-ship':
      return `link:${target}`;
    default:
      return `process:${target}`;
  }
}

function paramsOf(prng: Prng, kind: FaultKind): FaultParams {
  switch (kind) {
    case 'link-shape':
      return {
        latencyMs: prng.int(50, 400),
        bandwidthBytesPerSec: prng.pick([16_000, 64_000, 256_000, 0]),
      };
    case 'clock-skew': {
      const sign = prng.chance(0.5) ? 1 : -1;
      // Mostly far off (minutes to hours), sometimes a few seconds: both must be harmless.
      const magnitude = prng.chance(0.25)
        ? prng.int(1_000, 10_000)
        : prng.int(60_000, 3 * 3_600_000);
      return { clockOffsetMs: sign * magnitude };
    }
    case 'stop-postgres':
      return { mode: prng.chance(0.5) ? 'fast' : 'immediate' };
    default:
      return {};
  }
}

function shuffled<T>(prng: Prng, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = prng.int(0, i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Parses `--faults`: `all`, or a comma-separated list of kinds; names the unknown ones. */
export function parseFaultKinds(text: string): FaultKind[] {
  if (text.trim() === '' || text.trim() === 'all') return [...FAULT_KINDS];
  const kinds = text.split(',').map((kind) => kind.trim());
  const unknown = kinds.filter((kind) => !(FAULT_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0) {
    throw new Error(
      `--faults: unknown kind(s) ${unknown.join(', ')} (known: ${FAULT_KINDS.join(', ')})`,
    );
  }
  return [...new Set(kinds)] as FaultKind[];
}
