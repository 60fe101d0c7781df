import type { KafkaMessage } from 'kafkajs';

/** A fetched batch in order, in slices of at most `maxMessages` and `maxBytes` (≥ 1 message). */
export function* slicesOf(
  messages: KafkaMessage[],
  maxMessages = messages.length,
  maxBytes = Infinity,
): Generator<KafkaMessage[]> {
  const count = Math.max(1, maxMessages);
  let slice: KafkaMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.value?.length ?? 0;
    if (slice.length > 0 && (slice.length >= count || bytes + size > maxBytes)) {
      yield slice;
      slice = [];
      bytes = 0;
    }
    slice.push(message);
    bytes += size;
  }
  if (slice.length > 0) yield slice;
}
