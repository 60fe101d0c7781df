import { hasOnlyKeys, isPlainObject } from '../contracts/plain-object.util';
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

const isNonNegativeInt = (value: unknown): boolean => Number.isInteger(value) && Number(value) >= 0;

function isCertainlyValidMessage(raw: unknown): raw is Record<string, unknown> {
  return (
    isPlainObject(raw) &&
    hasOnlyKeys(raw, MESSAGE_KEYS) &&
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
 * messages become instances (the pipe's path keeps them too: envelopesLeftOut, so both paths
 * hand a handler the same data). Reserved keys inside an envelope are verifyEnvelope's to refuse,
 * with their paths.
 */
export function fastEnvelopeBatch(raw: unknown): EnvelopeBatchDto | undefined {
  if (
    !isPlainObject(raw) ||
    !hasOnlyKeys(raw, BATCH_KEYS) ||
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
    if (!isCertainlyValidMessage(message)) return undefined;
    messages[i] = Object.assign(new EnvelopeMessageDto(), message);
  }
  return Object.assign(new EnvelopeBatchDto(), {
    topic: raw.topic,
    partition: raw.partition,
    messages,
  });
}

/**
 * What the pipe is given to check of a batch: each plain-object envelope and headers object
 * replaced by an empty one. The pipe checks only that they are objects (an empty one is, so the
 * verdict is the same), but on its way it strips `__proto__`, `prototype` and `constructor` keys
 * from the received data in place and its deep copy drops keys that name members of
 * Object.prototype (`toString`, `valueOf`, ...): a signed envelope would lose fields, and then
 * fail its signature for a reason that is not its own. verifyEnvelope refuses reserved keys
 * itself, naming their paths.
 */
export function envelopesLeftOut(raw: unknown): unknown {
  if (!isPlainObject(raw) || !Array.isArray(raw.messages)) return raw;
  return {
    ...raw,
    messages: (raw.messages as unknown[]).map((message) =>
      isPlainObject(message)
        ? {
            ...message,
            ...(isPlainObject(message.value) && { value: {} }),
            ...(isPlainObject(message.headers) && { headers: {} }),
          }
        : message,
    ),
  };
}

/** Puts each envelope and its headers, as received in `raw`, into what the pipe made of them. */
export function putEnvelopesBack(validated: unknown, raw: unknown): void {
  if (!(validated instanceof EnvelopeBatchDto) || !isPlainObject(raw)) return;
  const received = raw.messages;
  if (!Array.isArray(received) || received.length !== validated.messages.length) return;
  validated.messages.forEach((message, i) => {
    const original: unknown = received[i];
    if (!isPlainObject(original)) return;
    message.value = original.value as Record<string, unknown>;
    message.headers = original.headers as Record<string, string>;
  });
}
