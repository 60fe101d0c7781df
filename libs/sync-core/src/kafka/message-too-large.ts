/** Broker error codes for a produce request refused for its size (kafkajs `type`). */
const TOO_LARGE_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/**
 * Whether a send failed because the broker refused its record batch as too large (over the
 * topic's `max.message.bytes`): sending the same messages again can never succeed; fewer at a
 * time may. Looks through the errors a client wraps around the broker's answer.
 */
export function isMessageTooLargeError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    if (TOO_LARGE_TYPES.has(String((e as { type?: unknown }).type))) return true;
    e = e.cause;
  }
  return false;
}
