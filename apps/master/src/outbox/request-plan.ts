/**
 * What one message of a produce request costs besides its key and value: the record's own fields
 * (length, attributes, timestamp and offset deltas, key and value lengths, header count), at
 * their largest varint sizes, with room to spare.
 */
export const RECORD_OVERHEAD_BYTES = 64;

/** A message's share of a produce request: its key, its value and the record around them. */
export function requestBytes(key: string, value: string): number {
  return Buffer.byteLength(key) + Buffer.byteLength(value) + RECORD_OVERHEAD_BYTES;
}

/** How a topic's messages (in send order) go out. */
export interface RequestPlan {
  /** Indexes of messages that can never be sent: each alone is over `parkBytes`. */
  parked: number[];
  /** Indexes per produce request, in send order. */
  requests: number[][];
}

/**
 * Splits a topic's messages, in order, into produce requests of at most `maxBytes` each (a
 * message larger than that goes alone). A message over `parkBytes` can never be sent, so it is set
 * apart and the messages after it still go, in order.
 */
export function planRequests(
  sizes: readonly number[],
  maxBytes: number,
  parkBytes = maxBytes,
): RequestPlan {
  const plan: RequestPlan = { parked: [], requests: [] };
  let current: number[] = [];
  let bytes = 0;
  for (const [i, size] of sizes.entries()) {
    if (size > parkBytes) {
      plan.parked.push(i);
      continue;
    }
    if (current.length > 0 && bytes + size > maxBytes) {
      plan.requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  }
  if (current.length > 0) plan.requests.push(current);
  return plan;
}
