import { drive, log, round, smallData } from './measure';
import type { BenchApi } from './node-api';

/**
 * Writes `count` small documents through a ship's content API, in bulk requests of `perRequest`
 * creates with `concurrency` requests in flight (how a ship gets a backlog: its link is cut
 * first, so they queue), for at most `maxSeconds`: when the API is too slow to seed `count` in
 * that time, fewer are written and the scenario reports the number it measured. Returns how many
 * were written and the write rate.
 */
export async function seedDocuments(
  api: BenchApi,
  count: number,
  { concurrency, perRequest }: { concurrency: number; perRequest: number },
  tag: string,
  maxSeconds = Infinity,
): Promise<{ written: number; ms: number; perSec: number; errors: number; capped: boolean }> {
  const started = Date.now();
  let lastLog = started;
  let done = 0;
  const requests = Math.ceil(count / perRequest);
  const result = await drive(
    async (r) => {
      const first = r * perRequest;
      const size = Math.min(perRequest, count - first);
      await api.bulk(
        Array.from({ length: size }, (_, k) => ({
          op: 'create' as const,
          type: 'item' as const,
          data: smallData(first + k, tag),
        })),
      );
      done += size;
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`  … seeded ${done}/${count} (${Math.round((done * 1000) / (lastLog - started))}/s)`);
      }
    },
    { concurrency, count: requests, stopAt: started + maxSeconds * 1000 },
  );
  const ms = Date.now() - started;
  if (result.errors > 0)
    log(`  seeding: ${result.errors} failed requests, first: ${result.firstError}`);
  return {
    written: done,
    ms,
    perSec: round((done * 1000) / ms),
    errors: result.errors,
    capped: result.ok + result.errors < requests,
  };
}
