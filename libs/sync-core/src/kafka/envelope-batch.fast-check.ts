import { isPlainObject } from '../contracts/plain-object.util';
import { isFreeOfReservedKeys } from '../contracts/reserved-key-scan.util';
import { EnvelopeBatchDto, EnvelopeMessageDto } from './envelope-batch.dto';

/** The properties of a received message; the pipe refuses any other (forbidNonWhitelisted). */
const MESSAGE_KEYS: ReadonlySet<string> = new Set([
  'offset',
  'key',
  'timestamp',
  'headers',
  'size',
  'value',
  'raw',
]);
const BATCH_KEYS: ReadonlySet<string> = new Set(['topic', 'partition', 'messages']);
/** A subset of what IsNumberString accepts: what kafkajs gives for offsets and timestamps. */
const DIGITS = /^-?\d+$/;

function hasOnly(record: Record<string, unknown>, keys: ReadonlySet<string>): boolean {
  for (const key in record) if (!keys.has(key)) return false;
  return true;
}

const isNonNegativeInt = (value: unknown): boolean => Number.isInteger(value) && Number(value) >= 0;

function isCertainlyValidMessage(raw: unknown): raw is Record<string, unknown> {
  return (
    isPlainObject(raw) &&
    hasOnly(raw, MESSAGE_KEYS) &&
    typeof raw.offset === 'string' &&
    DIGITS.test(raw.offset) &&
    (raw.key === null || raw.key === undefined || typeof raw.key === 'string') &&
    typeof raw.timestamp === 'string' &&
    DIGITS.test(raw.timestamp) &&
    isPlainObject(raw.headers) &&
    isNonNegativeInt(raw.size) &&
    typeof raw.raw === 'string' &&
    isPlainObject(raw.value)
  );
}

/**
 * What the global ValidationPipe returns for an EnvelopeBatchDto, when `raw` is certainly valid;
 * undefined otherwise (invalid, or not certainly valid: the pipe then says why). The pipe copies
 * every envelope deeply (class-transformer), which for a batch of master updates cost more than
 * applying them; here the envelopes are kept as they were decoded, and only the batch and its
 * messages become instances. A value holding a key the pipe would strip (`__proto__`,
 * `constructor`, `prototype`) is left to the pipe, so both paths hand a handler the same data.
 */
export function fastEnvelopeBatch(raw: unknown): EnvelopeBatchDto | undefined {
  if (
    !isPlainObject(raw) ||
    !hasOnly(raw, BATCH_KEYS) ||
    typeof raw.topic !== 'string' ||
    !isNonNegativeInt(raw.partition) ||
    !Array.isArray(raw.messages)
  ) {
    return undefined;
  }
  const received = raw.messages as unknown[];
  const messages: EnvelopeMessageDto[] = new Array<EnvelopeMessageDto>(received.length);
  for (let i = 0; i < received.length; i += 1) {
    const message = received[i];
    if (!isCertainlyValidMessage(message) || !isFreeOfReservedKeys(message)) return undefined;
    messages[i] = Object.assign(new EnvelopeMessageDto(), message);
  }
  return Object.assign(new EnvelopeBatchDto(), {
    topic: raw.topic,
    partition: raw.partition,
    messages,
  });
}
