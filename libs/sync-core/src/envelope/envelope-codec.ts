import { isPlainObject } from '../contracts/plain-object.util';
import {
  EnvelopeRejection,
  EnvelopeRejectionReason,
  rejectEnvelope,
} from './envelope-rejection-reason';
import { errorMessage } from '../errors/error-message';

export type DecodedEnvelope = { ok: true; value: Record<string, unknown> } | EnvelopeRejection;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A Kafka message value. */
export function encodeEnvelope(envelope: object): Buffer {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

/**
 * Parses a Kafka message value into a JSON object, or rejects it as `malformed` (empty, not UTF-8,
 * not JSON, not an object). Never throws: a poison message must reach the dead-letter store, not
 * stop the consumer.
 */
export function decodeEnvelope(value: Buffer | string | null | undefined): DecodedEnvelope {
  if (value === null || value === undefined || value.length === 0) {
    return rejectEnvelope(EnvelopeRejectionReason.Malformed, 'empty message');
  }
  let text: string;
  try {
    text = typeof value === 'string' ? value : utf8.decode(value);
  } catch {
    return rejectEnvelope(EnvelopeRejectionReason.Malformed, 'message is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return rejectEnvelope(
      EnvelopeRejectionReason.Malformed,
      `message is not JSON (${errorMessage(error)})`,
    );
  }
  return isPlainObject(parsed)
    ? { ok: true, value: parsed }
    : rejectEnvelope(EnvelopeRejectionReason.Malformed, 'envelope must be a JSON object');
}
