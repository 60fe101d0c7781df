import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/** An envelope's `keyId`: 16 lower-case hex digits. */
export const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;

export function isKeyId(value: unknown): value is string {
  return typeof value === 'string' && KEY_ID_PATTERN.test(value);
}

const keyIds = new WeakMap<KeyObject, string>();
const withoutKeyIds = new WeakSet<KeyObject>();

/**
 * The id of an Ed25519 key pair: the first 16 hex digits of SHA-256 over the public key's SPKI
 * DER. Given the private key or the public one, the same id; derived, so nobody has to configure
 * it and a sender and its receivers cannot disagree about it.
 */
export function keyIdOf(key: KeyObject): string {
  let id = keyIds.get(key);
  if (id === undefined) {
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    const der = publicKey.export({ format: 'der', type: 'spki' });
    id = createHash('sha256').update(der).digest('hex').slice(0, 16);
    keyIds.set(key, id);
  }
  return id;
}

/**
 * Records the key id of a public key built from `spkiDer`, its SPKI DER in canonical form (what
 * keyIdOf would export and hash again).
 */
export function rememberKeyId(publicKey: KeyObject, spkiDer: Buffer): void {
  keyIds.set(publicKey, createHash('sha256').update(spkiDer).digest('hex').slice(0, 16));
}

/**
 * A copy of `privateKey` whose envelopes carry no `keyId`, for a sender whose receivers include
 * releases that refuse an envelope field they do not know (SYNC_ENVELOPE_KEY_IDS=false on the
 * master). The signature is the same scheme; only the explicit key id is left out.
 */
export function signingKeyWithoutKeyId(privateKey: KeyObject): KeyObject {
  const copy = privateKey.type === 'private' ? cloneKey(privateKey) : privateKey;
  withoutKeyIds.add(copy);
  return copy;
}

/** The `keyId` an envelope signed with `privateKey` carries, or undefined for none. */
export function signingKeyId(privateKey: KeyObject): string | undefined {
  return withoutKeyIds.has(privateKey) ? undefined : keyIdOf(privateKey);
}

function cloneKey(privateKey: KeyObject): KeyObject {
  // A distinct object, so that leaving key ids out never changes another user of the same key.
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}
