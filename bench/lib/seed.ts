import { drive, log, round, smallData } from './measure';
import type { BenchApi } from './node-api';

/**
 * Writes `count` small documents through a node's content API, `concurrency` calls in flight
 * (how a ship gets a backlog: its link is cut first, so they queue), for at most `maxSeconds`:
 * when the API is too slow to seed `count` in that time, fewer are written and the scenario
 * reports the number it measured. Returns how many were written and the write rate.
 */
export async function seedDocuments(
  api: BenchApi,
  count: number,
  concurrency: number,
  tag: string,
  maxSeconds = Infinity,
): Promise<{ written: number; ms: number; perSec: number; errors: number; capped: boolean }> {
  const started = Date.now();
  let lastLog = started;
  let done = 0;
  const result = await drive(
    async (i) => {
      await api.create(smallData(i, tag));
      done += 1;
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`  … seeded ${done}/${count} (${Math.round((done * 1000) / (lastLog - started))}/s)`);
      }
    },
    { concurrency, count, stopAt: started + maxSeconds * 1000 },
  );
  const ms = Date.now() - started;
  if (result.errors > 0) log(`  seeding: ${result.errors} errors, first: ${result.firstError}`);
  return {
    written: result.ok,
    ms,
    perSec: round((result.ok * 1000) / ms),
    errors: result.errors,
    capped: result.ok + result.errors < count,
  };
}
