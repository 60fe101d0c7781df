/**
 * Online ingest on one fleet: `ships` ships take new small documents through their content API,
 * `concurrency` calls in flight each, for `seconds`; prints writes/s accepted per ship, changes/s
 * committed on the master and the API write p50/p99, in a fraction of the full suite's time (for
 * comparing two builds of the ship under the same machine load).
 *
 *   npx nest build ship
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/online-ingest.ts \
 *     [--seconds 20] [--ships 2] [--concurrency 16]
 */
import { BenchFleet } from './lib/bench-fleet';
import { drive, percentile, round, sleep, smallData } from './lib/measure';
import { BenchApi } from './lib/node-api';

async function main(): Promise<void> {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const seconds = Number(arg('seconds', '20'));
  const shipCount = Number(arg('ships', '2'));
  const concurrency = Number(arg('concurrency', '16'));
  const ships = Array.from({ length: shipCount }, (_, i) => `ship-${i + 1}`);
  const fleet = await BenchFleet.start({ ships });
  try {
    const apis = ships.map((s) => new BenchApi(fleet.ships[s]));
    const before = await fleet.committed();
    const start = Date.now();
    const stopAt = start + seconds * 1000;
    const latencies: number[] = [];
    const results = await Promise.all(
      apis.map((api, s) =>
        drive(
          async (i) => {
            const t = performance.now();
            await api.create(smallData(i, `s${s}`));
            latencies.push(performance.now() - t);
          },
          { concurrency, stopAt },
        ),
      ),
    );
    const elapsed = (Date.now() - start) / 1000;
    const committed = (await fleet.committed()) - before;
    const accepted = results.reduce((n, r) => n + r.ok, 0);
    const drainStart = Date.now();
    while ((await fleet.committed()) - before < accepted && Date.now() - drainStart < 120_000) {
      await sleep(250);
    }
    const drainS = (Date.now() - drainStart) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        seconds: round(elapsed, 1),
        acceptedPerShipPerSec: round(accepted / elapsed / shipCount, 1),
        masterCommittedPerSec: round(committed / elapsed, 1),
        errors: results.reduce((n, r) => n + r.errors, 0),
        firstError: results.find((r) => r.firstError)?.firstError,
        p50: round(percentile(latencies, 50)),
        p99: round(percentile(latencies, 99)),
        drainSeconds: round(drainS, 1),
      }),
    );
  } finally {
    await fleet.stop();
  }
}

void main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
