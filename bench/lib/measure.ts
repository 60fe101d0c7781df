import { readFileSync } from 'node:fs';

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
        firstError ??= error instanceof Error ? error.message : String(error);
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

/** A document of about `bytes` of JSON. */
export function sizedData(i: number, bytes: number): Record<string, unknown> {
  const body = 'lorem ipsum dolor sit amet '.repeat(Math.ceil(bytes / 27)).slice(0, bytes - 80);
  return { title: `document ${i}`, n: i, status: 'open', body };
}
