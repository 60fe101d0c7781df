import type { DeadLetterEntry } from './dead-letter-sink';
import type { IncomingKafkaMessage } from './incoming-kafka-message';

function stringField(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === 'string' ? found : undefined;
}

/**
 * The dead-letter fields of a received (decoded) message: where it came from, its bytes as
 * received, and the sender and message id it claims, for finding it again. The reason and
 * detail are the refuser's.
 */
export function deadLetterSource(
  topic: string,
  partition: number,
  message: IncomingKafkaMessage,
): Omit<DeadLetterEntry, 'reason' | 'detail'> {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.raw,
    valueEncoding: 'utf8',
    headers: message.headers,
    sender: stringField(message.value, 'sender'),
    messageId: stringField(message.value, 'messageId'),
  };
}
