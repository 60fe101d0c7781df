/** Largest envelope the relay builds, as UTF-8 JSON: well under Kafka's default 1 MB message limit. */
export const MAX_ENVELOPE_BYTES = 512 * 1024;
/** Fixed JSON overhead of one change besides its fields (ids, op, type, locale, times...). */
const CHANGE_OVERHEAD_BYTES = 320;

/**
 * Splits queued rows (in write order) into envelopes of at most `batchSize` changes and about
 * MAX_ENVELOPE_BYTES; a single oversized change still gets an envelope of its own.
 */
export function splitIntoEnvelopes<T extends { fields: string }>(
  rows: readonly T[],
  batchSize: number,
  maxBytes = MAX_ENVELOPE_BYTES,
): T[][] {
  const envelopes: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = Buffer.byteLength(row.fields) + CHANGE_OVERHEAD_BYTES;
    if (current.length > 0 && (current.length >= batchSize || bytes + size > maxBytes)) {
      envelopes.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) envelopes.push(current);
  return envelopes;
}
