import { type Static, Type } from '@sinclair/typebox';
import {
  matchesPattern,
  oneOf,
  senderId,
  shallowJsonObject,
  wireContract,
  wireInt,
  wireTimestamp,
  wireUuidV7,
} from '../contracts/wire-fields.schema';
import { MESSAGE_KINDS, type MessageKind } from '../contracts/message-kind.enum';
import { KEY_ID_PATTERN } from './key-id';

/** Base64 of a 64-byte Ed25519 signature. */
export const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{86}==$/;

const UNSIGNED_ENVELOPE_FIELDS = {
  schemaVersion: wireInt(1),
  /** UUIDv7; receivers deduplicate on it. */
  messageId: wireUuidV7(),
  /** 'master' or a ship id; selects the public key that must verify the signature. */
  sender: senderId(),
  kind: oneOf<MessageKind>(MESSAGE_KINDS),
  timestamp: wireTimestamp(),
  /** Validated with payloadSchemaFor(kind) once the signature has been checked. */
  payload: shallowJsonObject(),
  /**
   * Which of the sender's keys signed it (keyIdOf: SHA-256 of its SPKI DER, 16 hex digits), so a
   * receiver that lacks that key knows so instead of finding a bad signature. Omitted by senders
   * of earlier releases; then every key of the sender is tried.
   */
  keyId: Type.Optional(
    matchesPattern(KEY_ID_PATTERN, 'must be 16 lower-case hex digits (a key id)'),
  ),
};

/** Everything an envelope's signature covers. */
export const UnsignedEnvelopeDto = wireContract(UNSIGNED_ENVELOPE_FIELDS);
export type UnsignedEnvelopeDto = Static<typeof UnsignedEnvelopeDto>;

/** A Kafka message: the signed envelope, as JSON. */
export const EnvelopeDto = wireContract({
  ...UNSIGNED_ENVELOPE_FIELDS,
  /** Ed25519 over the RFC 8785 (JCS) serialisation of all the other fields. */
  signature: matchesPattern(SIGNATURE_PATTERN, 'must be a base64 Ed25519 signature'),
});
export type EnvelopeDto = Static<typeof EnvelopeDto>;
