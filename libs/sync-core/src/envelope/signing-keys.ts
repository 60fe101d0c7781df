import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { errorMessage } from '../errors/error-message';
import { rememberKeyId } from './key-id';

/** A key given in configuration could not be used; the message says which and why. */
export class KeyFormatError extends Error {
  override name = 'KeyFormatError';
}

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Env files often carry PEM on one line with literal "\n"; accept both spellings. */
function normalise(text: string): string {
  return text.trim().replace(/\\n/g, '\n');
}

function isPem(text: string): boolean {
  return text.startsWith('-----BEGIN ');
}

function derFromBase64(text: string, what: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (compact === '' || !BASE64_PATTERN.test(compact)) {
    throw new KeyFormatError(`${what} must be PEM or base64 DER`);
  }
  return Buffer.from(compact, 'base64');
}

function requireEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new KeyFormatError(
      `${what} is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key, not Ed25519`,
    );
  }
  return key;
}

/** An Ed25519 private key from PKCS#8 PEM or base64 PKCS#8 DER. */
export function loadPrivateKey(pemOrBase64: string): KeyObject {
  const text = normalise(pemOrBase64);
  let key: KeyObject;
  try {
    key = isPem(text)
      ? createPrivateKey(text)
      : createPrivateKey({ key: derFromBase64(text, 'private key'), format: 'der', type: 'pkcs8' });
  } catch (error) {
    if (error instanceof KeyFormatError) {
      throw error;
    }
    throw new KeyFormatError(`private key is not a valid PKCS#8 key (${errorMessage(error)})`);
  }
  return requireEd25519(key, 'private key');
}

/** The SPKI DER of every Ed25519 public key: this header, then the 32 bytes of the key. */
const ED25519_SPKI_HEADER = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * The key of an Ed25519 SPKI DER in its one canonical form, from its 32 raw bytes: OpenSSL's
 * DER decoder costs ~3 times as much, which a master reading a fleet's thousands of keys at
 * start-up feels. Its key id is the hash of these very bytes. Null for any other DER.
 */
function ed25519FromSpki(der: Buffer): KeyObject | null {
  if (der.length !== ED25519_SPKI_HEADER.length + 32) return null;
  if (!der.subarray(0, ED25519_SPKI_HEADER.length).equals(ED25519_SPKI_HEADER)) return null;
  const x = der.subarray(ED25519_SPKI_HEADER.length).toString('base64url');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  rememberKeyId(key, der);
  return key;
}

/** An Ed25519 public key from SPKI PEM or base64 SPKI DER. */
export function loadPublicKey(pemOrBase64: string): KeyObject {
  const text = normalise(pemOrBase64);
  if (isPem(text) && !text.startsWith('-----BEGIN PUBLIC KEY-----')) {
    // createPublicKey would quietly derive it from a private key, which must never be shared.
    throw new KeyFormatError('public key must be a PUBLIC KEY (SPKI); never share a private key');
  }
  let key: KeyObject;
  try {
    if (isPem(text)) {
      key = createPublicKey(text);
    } else {
      const der = derFromBase64(text, 'public key');
      key = ed25519FromSpki(der) ?? createPublicKey({ key: der, format: 'der', type: 'spki' });
    }
  } catch (error) {
    if (error instanceof KeyFormatError) {
      throw error;
    }
    throw new KeyFormatError(`public key is not a valid SPKI key (${errorMessage(error)})`);
  }
  return requireEd25519(key, 'public key');
}

export function exportPrivateKeyBase64(key: KeyObject): string {
  return key.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

export function exportPublicKeyBase64(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).toString('base64');
}

export function generateSigningKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}
