/**
 * Why a received envelope was refused, in the order verifyEnvelope checks. Each reason is stored
 * with the dead letter, so operators can tell a broken producer from a forgery attempt.
 */
export const EnvelopeRejectionReason = {
  /** Not a JSON object, or the envelope's own fields are missing or wrong. */
  Malformed: 'malformed',
  /** Written by a newer (or retired) schema this build cannot read. */
  UnsupportedSchemaVersion: 'unsupported-schema-version',
  /** No signature at all. */
  Unsigned: 'unsigned',
  /** No public key is known for the sender. */
  UnknownSender: 'unknown-sender',
  /** The envelope names the key that signed it (`keyId`), and none of the sender's keys here is it. */
  UnknownKey: 'unknown-key',
  /** The signature does not match the content under the sender's key(s). */
  BadSignature: 'bad-signature',
  /** The sender may not send this kind, or the payload names another ship. */
  SenderMismatch: 'sender-mismatch',
  /** The payload breaks its kind's contract. */
  InvalidPayload: 'invalid-payload',
} as const;

export type EnvelopeRejectionReason =
  (typeof EnvelopeRejectionReason)[keyof typeof EnvelopeRejectionReason];

export interface EnvelopeRejection {
  ok: false;
  reason: EnvelopeRejectionReason;
  /** Human-readable specifics (field errors for invalid-payload); safe to log and store. */
  detail: string;
  /**
   * Set when the receiver's configuration, not the message, is what is missing: the key the
   * envelope names (unknown-key: the sender may have rotated to it) or a newer schema version than
   * this release reads. Such a message may verify once the receiver is reconfigured or upgraded;
   * every other rejection is final.
   */
  verifiableLater?: true;
}

export function rejectEnvelope(
  reason: EnvelopeRejectionReason,
  detail: string,
  verifiableLater = false,
): EnvelopeRejection {
  return verifiableLater
    ? { ok: false, reason, detail, verifiableLater }
    : { ok: false, reason, detail };
}
