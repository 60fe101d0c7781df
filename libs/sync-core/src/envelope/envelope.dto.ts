import {
  IsOmittable,
  IsOneOf,
  IsSenderId,
  IsShallowJsonObject,
  IsWireInt,
  IsWireTimestamp,
  IsWireUuidV7,
  MatchesPattern,
  MESSAGE_KINDS,
  MessageKind,
} from '../contracts';
import { KEY_ID_PATTERN } from './key-id';

/** Base64 of a 64-byte Ed25519 signature. */
export const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{86}==$/;

/**
 * Everything an envelope's signature covers. The kind-specific payload is validated separately,
 * with payloadClassFor(kind), once the signature has been checked.
 */
export class UnsignedEnvelopeDto {
  @IsWireInt(1)
  schemaVersion!: number;

  /** UUIDv7; receivers deduplicate on it. */
  @IsWireUuidV7()
  messageId!: string;

  /** 'master' or a ship id; selects the public key that must verify the signature. */
  @IsSenderId()
  sender!: string;

  @IsOneOf(MESSAGE_KINDS)
  kind!: MessageKind;

  @IsWireTimestamp()
  timestamp!: string;

  @IsShallowJsonObject()
  payload!: Record<string, unknown>;

  /**
   * Which of the sender's keys signed it (keyIdOf: SHA-256 of its SPKI DER, 16 hex digits), so a
   * receiver that lacks that key knows so instead of finding a bad signature. Omitted by senders
   * of earlier releases; then every key of the sender is tried.
   */
  @IsOmittable()
  @MatchesPattern('isKeyId', KEY_ID_PATTERN, 'must be 16 lower-case hex digits (a key id)')
  keyId?: string;
}

/** A Kafka message: the signed envelope, as JSON. */
export class EnvelopeDto extends UnsignedEnvelopeDto {
  /** Ed25519 over the RFC 8785 (JCS) serialisation of all the other fields. */
  @MatchesPattern('isSignature', SIGNATURE_PATTERN, 'must be a base64 Ed25519 signature')
  signature!: string;
}
