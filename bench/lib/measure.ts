import { readdirSync, readFileSync } from 'node:fs';
import { errorMessage } from '@offline-sync/sync-core';

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Polls until `done` is true and returns the elapsed ms; a benchmark never fails on time, so past
 * `limitMs` it returns null (and the scenario reports "not reached") instead of throwing.
 */
export async function until(
  done: () => Promise<boolean>,
  {
    limitMs,
    intervalMs = 250,
    progress,
  }: { limitMs: number; intervalMs?: number; progress?: () => Promise<string> },
): Promise<number | null> {
  const started = Date.now();
  let lastLog = started;
  for (;;) {
    try {
      if (await done()) return Date.now() - started;
    } catch {
      // the node may be busy or restarting: not yet
    }
    if (Date.now() - started > limitMs) return null;
    if (progress && Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log(
        `  … ${Math.round((Date.now() - started) / 1000)} s: ${await progress().catch(() => '?')}`,
      );
    }
    await sleep(intervalMs);
  }
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Peak resident set (VmHWM) and current RSS of a process, in MB, from /proc. */
export function memoryOf(pid: number | undefined): { peakMb: number; rssMb: number } | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number =>
      Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { peakMb: round(kb('VmHWM') / 1024), rssMb: round(kb('VmRSS') / 1024) };
  } catch {
    return null;
  }
}

/**
 * Runs `work(i)` for i = 0.. with `concurrency` in flight until `count` calls are done or `stopAt`
 * (epoch ms) passes; errors are counted, not thrown. Resolves to the number of successful calls.
 */
export async function drive(
  work: (i: number) => Promise<unknown>,
  {
    concurrency,
    count = Infinity,
    stopAt = Infinity,
  }: { concurrency: number; count?: number; stopAt?: number },
): Promise<{ ok: number; errors: number; firstError?: string }> {
  let next = 0;
  let ok = 0;
  let errors = 0;
  let firstError: string | undefined;
  const worker = async (): Promise<void> => {
    while (next < count && Date.now() < stopAt) {
      const i = next;
      next += 1;
      try {
        await work(i);
        ok += 1;
      } catch (error) {
        errors += 1;
        firstError ??= errorMessage(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return { ok, errors, firstError };
}

/** A small change payload: a few short fields, ~100 bytes of JSON. */
export function smallData(i: number, tag: string): Record<string, unknown> {
  return { title: `${tag} ${i}`, n: i, status: 'open', at: Date.now() };
}

const WORDS = (
  'anchor ballast bearing berth bilge bow bridge bulkhead cabin capstan cargo chart compass ' +
  'crew current deck depth draft engine fathom fender galley gangway hatch heading helm hull ' +
  'keel knot ladder latitude ledger log longitude manifest mast mooring navigator oil pilot ' +
  'port propeller pump radar radio route rudder sail schedule sea signal sonar starboard stern ' +
  'storm supply tank tide tonnage valve voyage watch weather winch'
).split(' ');

/**
 * A document of about `bytes` of JSON: prose from a small vocabulary in a pseudo-random order, so
 * it compresses like text does (a repeated phrase would compress to almost nothing).
 */
export function sizedData(i: number, bytes: number): Record<string, unknown> {
  let state = Math.imul(i + 1, 2654435761) | 0 || 1;
  const words: string[] = [];
  let length = 80;
  while (length < bytes) {
    // xorshift32: deterministic, spread over the vocabulary
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const word = WORDS[(state >>> 0) % WORDS.length];
    words.push(word);
    length += word.length + 1;
  }
  return { title: `document ${i}`, n: i, status: 'open', body: words.join(' ') };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (0 when it is gone). */
export function cpuMsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are 14th and 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** Pids of the processes whose command name is `name` (e.g. PostgreSQL's postmaster and backends). */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The machine's CPU counters (all cores, in clock ticks) from /proc/stat. */
function machineTicks(): { busy: number; steal: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number);
  const busy = user + nice + system + irq + softirq;
  return { busy, steal, total: busy + idle + iowait + steal };
}

/**
 * CPU use over a window, as % of one core: of each named process (or group of processes, summed),
 * and of the whole machine, whose busy share (of all its cores) shows whether the processes were
 * short of CPU, and steal what the host's other guests took.
 */
export class CpuMeter {
  private constructor(
    private readonly processes: Record<string, number[] | (() => number)>,
    /** CPU ms of every pid, and of every group read by a function, at the start. */
    private readonly startMs: Map<number | string, number>,
    private readonly startTicks: ReturnType<typeof machineTicks>,
    private readonly startedAt: number,
  ) {}

  /**
   * Per name: a process, a group of processes (summed), or a function giving the CPU ms a group
   * has used so far (e.g. a database's backends, which come and go: DatabaseCpu).
   */
  static start(
    processes: Record<string, number | number[] | undefined | (() => number)>,
  ): CpuMeter {
    const groups = Object.fromEntries(
      Object.entries(processes).map(([name, pid]) => [
        name,
        typeof pid === 'function'
          ? pid
          : (Array.isArray(pid) ? pid : [pid]).filter((p): p is number => p !== undefined),
      ]),
    );
    const startMs = new Map<number | string, number>();
    for (const [name, group] of Object.entries(groups)) {
      if (typeof group === 'function') startMs.set(name, group());
      else for (const pid of group) startMs.set(pid, cpuMsOf(pid));
    }
    return new CpuMeter(groups, startMs, machineTicks(), Date.now());
  }

  /** Per process (group): % of one core since start; `machine busy` and `steal`: % of all cores. */
  percent(): Record<string, number> {
    const elapsed = Math.max(1, Date.now() - this.startedAt);
    const result: Record<string, number> = Object.fromEntries(
      Object.entries(this.processes).map(([name, group]) => [
        name,
        round(
          ((typeof group === 'function'
            ? group() - (this.startMs.get(name) ?? 0)
            : this.usedSinceStart(group)) *
            100) /
            elapsed,
        ),
      ]),
    );
    const now = machineTicks();
    const total = Math.max(1, now.total - this.startTicks.total);
    result['machine busy'] = round(((now.busy - this.startTicks.busy) * 100) / total);
    result.steal = round(((now.steal - this.startTicks.steal) * 100) / total);
    return result;
  }

  /**
   * CPU ms the pids used since the start. A process that exited meanwhile (a PostgreSQL backend)
   * can no longer be read: it counts 0, not minus what it had used before the start.
   */
  private usedSinceStart(pids: readonly number[]): number {
    return pids.reduce((sum, pid) => {
      const now = cpuMsOf(pid);
      return sum + (now === 0 ? 0 : Math.max(0, now - (this.startMs.get(pid) ?? 0)));
    }, 0);
  }
}

/** "master 42, ship-1 53, …; machine 97% busy (5% steal)", as a table note shows CPU use. */
export function describeCpu(percent: Record<string, number>): string {
  const { 'machine busy': busy, steal, ...processes } = percent;
  const each = Object.entries(processes)
    .map(([name, pct]) => `${name} ${pct}`)
    .join(', ');
  return busy === undefined ? each : `${each}; machine ${busy}% busy (${steal}% steal)`;
}
