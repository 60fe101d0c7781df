import { canonicalJson } from './canonical-json';

/**
 * The bytes a signature covers: RFC 8785 (JCS) of the envelope without `signature` and `proof`
 * (ignored if present). JCS makes the bytes independent of key order and number formatting, so a receiver
 * re-derives them from the parsed JSON whatever library serialised it.
 */
export function canonicalEnvelopeBytes(envelope: object): Buffer {
  const { signature: _signature, proof: _proof, ...unsigned } = envelope as Record<string, unknown>;
  const text = canonicalJson(unsigned);
  if (text === undefined) {
    throw new TypeError('envelope cannot be serialised as JSON');
  }
  return Buffer.from(text, 'utf8');
}
