import { type Static, Type } from '@sinclair/typebox';
import { shallowJsonObject, wireContract, wireInt } from '../contracts/wire-fields.schema';

/** What a numeric string is to validator.js's isNumeric (IsNumberString), as the pipe took it. */
const NUMBER_STRING_PATTERN = /^[+-]?([0-9]*[.])?[0-9]+$/;

const numberString = () =>
  Type.String({ pattern: NUMBER_STRING_PATTERN.source, wireMessage: 'must be a number string' });

/**
 * One received envelope, as the batch transport hands it (IncomingKafkaMessage): only "is a JSON
 * object" is checked of the envelope here. Its fields, signature and payload are checked by
 * verifyEnvelope, which gives each rejected envelope its own reason without failing the rest of
 * the batch, and which refuses reserved keys inside it, naming their paths.
 */
export const EnvelopeMessageSchema = wireContract({
  offset: numberString(),
  /** The Kafka key, null for none (the transport always sets it). */
  key: Type.Unsafe<string | null>({
    type: ['string', 'null'],
    wireMessage: 'must be a string or null',
  }),
  timestamp: numberString(),
  headers: Type.Unsafe<Record<string, string>>({
    type: 'object',
    wireMessage: 'must be an object',
  }),
  /** Size of the raw value in bytes. */
  size: wireInt(0),
  value: Type.Unsafe<Record<string, unknown>>({
    ...shallowJsonObject(),
    wireMessage: 'must be a JSON object (an envelope)',
  }),
  /** The raw value, kept so a rejected message can be dead-lettered byte for byte. */
  raw: Type.String({ wireMessage: 'must be a string' }),
});
export type EnvelopeMessageDto = Static<typeof EnvelopeMessageSchema>;

/**
 * A batch of envelopes from one partition (ship-updates and heartbeats on the master, master
 * updates and outcomes on a ship), validated by the global pipe against this schema: the
 * envelopes are handed on as they were decoded, never copied.
 */
export const EnvelopeBatchSchema = wireContract({
  topic: Type.String({ wireMessage: 'must be a string' }),
  partition: wireInt(0),
  messages: Type.Array(EnvelopeMessageSchema, { wireMessage: 'must be an array of messages' }),
});

/** A handler's batch parameter: a class, so that Nest hands the pipe its type. */
export class EnvelopeBatchDto extends (class {} as new () => Static<typeof EnvelopeBatchSchema>) {}
