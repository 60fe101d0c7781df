import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf } from './key-id';
import { KeyRing, parseKeyRingEntries } from './key-ring';
import {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  KeyFormatError,
  loadPrivateKey,
  loadPublicKey,
} from './signing-keys';

const a = generateSigningKeyPair();
const b = generateSigningKeyPair();
const aPublic = exportPublicKeyBase64(a.publicKey);
const bPublic = exportPublicKeyBase64(b.publicKey);
const aPublicPem = a.publicKey.export({ format: 'pem', type: 'spki' }).toString();

describe('loadPrivateKey / loadPublicKey', () => {
  it('reads base64 DER and PEM, including PEM with literal \\n from an env file', () => {
    const privatePem = a.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    for (const text of [
      exportPrivateKeyBase64(a.privateKey),
      privatePem,
      privatePem.replace(/\n/g, '\\n'),
    ]) {
      expect(loadPrivateKey(text).equals(a.privateKey)).toBe(true);
    }
    for (const text of [aPublic, aPublicPem, ` ${aPublic}\n`]) {
      expect(loadPublicKey(text).equals(a.publicKey)).toBe(true);
    }
  });

  it('gives a base64 DER key the same key and key id as the key it was exported from', () => {
    for (const pair of [a, b, generateSigningKeyPair()]) {
      const loaded = loadPublicKey(exportPublicKeyBase64(pair.publicKey));
      expect(loaded.equals(pair.publicKey)).toBe(true);
      expect(keyIdOf(loaded)).toBe(keyIdOf(pair.privateKey));
      expect(loaded.export({ format: 'der', type: 'spki' })).toEqual(
        pair.publicKey.export({ format: 'der', type: 'spki' }),
      );
    }
  });

  it.each([
    ['empty', ''],
    ['not base64', 'not a key!'],
    ['base64 of junk', Buffer.from('junk').toString('base64')],
  ])('refuses %s with a KeyFormatError', (_name, text) => {
    expect(() => loadPublicKey(text)).toThrow(KeyFormatError);
    expect(() => loadPrivateKey(text)).toThrow(KeyFormatError);
  });

  it('refuses keys that are not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() =>
      loadPublicKey(rsa.publicKey.export({ format: 'der', type: 'spki' }).toString('base64')),
    ).toThrow(/rsa key, not Ed25519/);
  });

  it('refuses a private key where a public key belongs', () => {
    const privatePem = a.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => loadPublicKey(privatePem)).toThrow(/never share a private key/);
    expect(() => loadPublicKey(exportPrivateKeyBase64(a.privateKey))).toThrow(KeyFormatError);
  });
});

describe('parseKeyRingEntries', () => {
  it('reads sender=key pairs separated by commas or whitespace', () => {
    const entries = parseKeyRingEntries(`ship-a=${aPublic}, ship-b=${bPublic}\n`);
    expect(entries.map(([sender]) => sender)).toEqual(['ship-a', 'ship-b']);
    expect(entries[1][1].equals(b.publicKey)).toBe(true);
  });

  it('reads PEM values separated by commas', () => {
    const entries = parseKeyRingEntries(`ship-a=${aPublicPem},ship-b=${bPublic}`);
    expect(entries[0][1].equals(a.publicKey)).toBe(true);
  });

  it('reads a JSON object, with a list of keys for a rotation', () => {
    const entries = parseKeyRingEntries(
      JSON.stringify({ 'ship-a': [aPublic, bPublic], master: bPublic }),
    );
    expect(entries.map(([sender]) => sender)).toEqual(['ship-a', 'ship-a', 'master']);
  });

  it('reads a bare key for a default sender (a ship configured with the master key)', () => {
    const entries = parseKeyRingEntries(aPublic, { defaultSender: 'master' });
    expect(entries).toHaveLength(1);
    expect(entries[0][0]).toBe('master');
  });

  it('reads nothing from an empty setting', () => {
    expect(parseKeyRingEntries('  ')).toEqual([]);
  });

  it.each([
    [
      `ship-a=${aPublic},${bPublic}`,
      /^SYNC_SHIP_PUBLIC_KEYS: entry 2 \("MCow.*…"\) must be <sender>=<base64 SPKI public key>$/,
    ],
    [`Ship_A=${aPublic}`, /^SYNC_SHIP_PUBLIC_KEYS: entry 1 .* must be <sender>=/],
    [
      `ship-a=abc`,
      /^SYNC_SHIP_PUBLIC_KEYS: key of 'ship-a': public key must be PEM or base64 DER$/,
    ],
    [`{"ship-a": 5}`, /^SYNC_SHIP_PUBLIC_KEYS: key of 'ship-a' must be a string/],
    [`{"ship-a": `, /^SYNC_SHIP_PUBLIC_KEYS: not valid JSON/],
    [
      `{"Ship A": "${aPublic}"}`,
      /^SYNC_SHIP_PUBLIC_KEYS: 'Ship A' is not 'master' or a valid ship id$/,
    ],
  ])('explains a bad setting: %s', (text, message) => {
    expect(() => parseKeyRingEntries(text, { source: 'SYNC_SHIP_PUBLIC_KEYS' })).toThrow(message);
  });
});

describe('KeyRing', () => {
  it('builds from a setting string, pairs, or an object', () => {
    const fromText = KeyRing.fromEntries(`ship-a=${aPublic},ship-b=${bPublic}`);
    const fromPairs = KeyRing.fromEntries([
      ['ship-a', a.publicKey],
      ['ship-b', bPublic],
    ]);
    const fromObject = KeyRing.fromEntries({ 'ship-a': aPublic, 'ship-b': [bPublic] });
    for (const ring of [fromText, fromPairs, fromObject]) {
      expect(ring.senders).toEqual(['ship-a', 'ship-b']);
      expect(ring.keysFor('ship-a')[0].equals(a.publicKey)).toBe(true);
    }
  });

  it('holds several keys per sender for rotation, without duplicates', () => {
    const ring = new KeyRing()
      .add('ship-a', a.publicKey)
      .add('ship-a', bPublic)
      .add('ship-a', aPublic);
    expect(ring.keysFor('ship-a')).toHaveLength(2);
    expect(ring.size).toBe(1);
  });

  it("finds a sender's key by its id, and whose a key id is", () => {
    const ring = KeyRing.fromEntries(`master=${aPublic} master=${bPublic}`);
    expect(ring.keyById('master', keyIdOf(b.publicKey))?.equals(b.publicKey)).toBe(true);
    expect(ring.keyIdsFor('master')).toEqual([keyIdOf(a.publicKey), keyIdOf(b.publicKey)]);
    expect(ring.keyById('ship-a', keyIdOf(a.publicKey))).toBeUndefined();
    expect(ring.keyById('master', '0123456789abcdef')).toBeUndefined();
    expect(ring.senderOfKeyId(keyIdOf(a.publicKey))).toBe('master');
    expect(ring.senderOfKeyId('0123456789abcdef')).toBeUndefined();
  });

  it('knows nothing of senders it was not given', () => {
    const ring = KeyRing.fromEntries(`ship-a=${aPublic}`);
    expect(ring.has('ship-b')).toBe(false);
    expect(ring.keysFor('ship-b')).toEqual([]);
  });

  it('refuses a private key object and a bad sender', () => {
    expect(() => new KeyRing().add('ship-a', a.privateKey)).toThrow(KeyFormatError);
    expect(() => new KeyRing().add('Ship A', a.publicKey)).toThrow(KeyFormatError);
  });
});
