import {
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
}

/** A Kafka message: the signed envelope, as JSON. */
export class EnvelopeDto extends UnsignedEnvelopeDto {
  /** Ed25519 over the RFC 8785 (JCS) serialisation of all the other fields. */
  @MatchesPattern('isSignature', SIGNATURE_PATTERN, 'must be a base64 Ed25519 signature')
  signature!: string;
}
