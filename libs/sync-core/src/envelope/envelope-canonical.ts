import { canonicalJson } from './canonical-json';

/**
 * The bytes a signature covers: RFC 8785 (JCS) of the envelope without `signature` and `proof`
 * (ignored if present). JCS makes the bytes independent of key order and number formatting, so a receiver
 * re-derives them from the parsed JSON whatever library serialised it.
 */
export function canonicalEnvelopeBytes(envelope: object): Buffer {
  const { signature: _signature, proof: _proof, ...unsigned } = envelope as Record<string, unknown>;
  return Buffer.from(canonicalUnsignedText(unsigned), 'utf8');
}

/** The text of those bytes for an envelope that has no `signature` or `proof` yet. */
export function canonicalUnsignedText(unsigned: object): string {
  const text = canonicalJson(unsigned);
  if (text === undefined) {
    throw new TypeError('envelope cannot be serialised as JSON');
  }
  return text;
}
