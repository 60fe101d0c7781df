/** Largest number of values bound in one `IN (...)` list (well under SQLite's variable limit). */
export const IN_LIST_MAX = 500;

/**
 * Sizes for statements whose text grows with their values (IN lists, multi-row inserts).
 *
 * SQLite compiles every distinct text into a program of its own, and the ship keeps the last 200
 * in its statement cache: a 400-value IN list is ~80 KB of program, prepared in 87 µs (running it
 * takes 54 µs). With every length from 1 to 500 a text of its own, the cache filled with large,
 * rarely reused programs: 10-15 MB of the ship's malloc heap while it flushed a backlog, and most
 * lists prepared anew. Rounded up to a power of two (and at most `max`), one statement has at
 * most ten texts, which stay cached.
 */
export function statementSize(count: number, max: number): number {
  if (count <= 1) return count;
  const power = 2 ** Math.ceil(Math.log2(count));
  return count <= max ? Math.min(power, max) : count;
}

/**
 * `values` padded with its last value up to `statementSize`: an IN list matches the same rows
 * whether a value appears once or twice.
 */
export function padInList<T>(values: readonly T[], max = IN_LIST_MAX): T[] {
  const padded = [...values];
  const size = statementSize(values.length, max);
  while (padded.length < size) padded.push(values[values.length - 1]);
  return padded;
}

/**
 * The distinct `values` (one bound twice would only cost a variable) in chunks of at most `max`,
 * each padded (`padInList`): the IN lists of every statement that takes a list of values. The
 * caller runs one statement per chunk; no chunk, no statement (`IN ()` is not valid SQL).
 */
export function inListChunks<T>(values: readonly T[], max = IN_LIST_MAX): T[][] {
  const unique = [...new Set(values)];
  const chunks: T[][] = [];
  for (let start = 0; start < unique.length; start += max) {
    chunks.push(padInList(unique.slice(start, start + max), max));
  }
  return chunks;
}

/**
 * `items` cut into chunks, in order, whose lengths are `max` or a power of two below it (a
 * remainder of 100 is 64 + 32 + 4): for statements that cannot repeat a value, such as inserts.
 */
export function statementChunks<T>(items: readonly T[], max: number): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  while (start < items.length) {
    const left = items.length - start;
    const size = left >= max ? max : 2 ** Math.floor(Math.log2(left));
    chunks.push(items.slice(start, start + size));
    start += size;
  }
  return chunks;
}

/** `items` in consecutive slices of `size` (the last one shorter): work split per transaction. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
