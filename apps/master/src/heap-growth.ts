import { setFlagsFromString } from 'node:v8';

/** The master's old space may grow to 2.5 times what survived its last full collection. */
export const MASTER_HEAP_GROWING_PERCENT = 150;

/**
 * V8 lets an uncapped old space grow to up to four times what survived the last full collection
 * before it collects again. The master's live heap in the ingest benchmark is ~50 MB, but each
 * 2,000-change transaction outlives a few scavenges, so its garbage is promoted and piled up to
 * 150 MB of old space (301-308 MB RSS at the peak). At 2.5 times the peak was 216-219 MB at the
 * same CPU use; a heap cap does as much (173 MB at --max-old-space-size=256) but the master used
 * 54% of a core instead of 45-49%, and a burst past the cap would crash it. NODE_OPTIONS cannot
 * carry this flag, hence set here; V8 reads it at every collection. A `--heap-growing-percent`
 * given to node itself wins.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return false;
  setFlagsFromString(`--heap-growing-percent=${MASTER_HEAP_GROWING_PERCENT}`);
  return true;
}
