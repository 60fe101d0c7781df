import {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  loadPublicKey,
} from '@offline-sync/sync-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MasterConfig } from './master-config';

/** The outbox relay's request size (KAFKA_MAX_REQUEST_BYTES). */
describe('MasterConfig: request size', () => {
  const required = {
    DATABASE_URL: 'postgres://sync@db:5432/sync',
    SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(generateSigningKeyPair().privateKey),
  };

  it('sends requests of 900 KiB unless told otherwise', () => {
    expect(MasterConfig.fromEnv(required).maxRequestBytes).toBe(921_600);
    expect(
      MasterConfig.fromEnv({ ...required, KAFKA_MAX_REQUEST_BYTES: '4194304' }).maxRequestBytes,
    ).toBe(4_194_304);
  });

  it.each([
    ['abc', 'must be an integer \\(bytes\\)'],
    ['1.5', 'must be an integer \\(bytes\\)'],
    // Less than two documents at the cap: a master update of one might not fit.
    ['524287', 'must be at least 524288 bytes'],
    ['100000000', 'must be at most 67108864 bytes'],
  ])('refuses KAFKA_MAX_REQUEST_BYTES=%s in one line naming it', (value, reason) => {
    expect(() => MasterConfig.fromEnv({ ...required, KAFKA_MAX_REQUEST_BYTES: value })).toThrow(
      new RegExp(`^Invalid configuration: KAFKA_MAX_REQUEST_BYTES ${reason}`),
    );
  });
});

/** The ships' public keys from a file (SYNC_SHIP_PUBLIC_KEYS_FILE), the operator way for a fleet. */
describe('MasterConfig: ship public keys file', () => {
  const required = {
    DATABASE_URL: 'postgres://sync@db:5432/sync',
    SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(generateSigningKeyPair().privateKey),
  };
  const keys = Array.from({ length: 3 }, () =>
    exportPublicKeyBase64(generateSigningKeyPair().publicKey),
  );
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ship-keys-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, text: string): string {
    const at = path.join(dir, name);
    writeFileSync(at, text);
    return at;
  }

  function senders(config: MasterConfig): string[] {
    return config.shipPublicKeys.map(([sender]) => sender);
  }

  it('reads one entry a line, skipping comments, along with SYNC_SHIP_PUBLIC_KEYS', () => {
    const at = file(
      'lines.txt',
      `# fleet keys, one a line\nship-b=${keys[1]}\n\n  # the next ship\nship-c=${keys[2]}\n`,
    );
    const config = MasterConfig.fromEnv({
      ...required,
      SYNC_SHIP_PUBLIC_KEYS: `ship-a=${keys[0]}`,
      SYNC_SHIP_PUBLIC_KEYS_FILE: at,
    });
    expect(senders(config)).toEqual(['ship-a', 'ship-b', 'ship-c']);
    expect(config.shipPublicKeys[2][1].equals(loadPublicKey(keys[2]))).toBe(true);
  });

  it('reads a JSON object of ship id to key or keys', () => {
    const at = file(
      'keys.json',
      JSON.stringify({ 'ship-a': keys[0], 'ship-b': [keys[1], keys[2]] }),
    );
    const config = MasterConfig.fromEnv({ ...required, SYNC_SHIP_PUBLIC_KEYS_FILE: at });
    expect(senders(config)).toEqual(['ship-a', 'ship-b', 'ship-b']);
  });

  it.each([
    [
      'a missing file',
      () => path.join(dir, 'missing.txt'),
      /cannot read .*missing\.txt \(ENOENT\)/,
    ],
    ['an empty file', () => file('empty.txt', '# nothing yet\n'), /empty\.txt holds no keys/],
    [
      'a bad entry',
      () => file('bad.txt', `ship-a=${keys[0]}\nship-b:${keys[1]}\n`),
      /bad\.txt: entry 2 \("ship-b:.*must be <sender>=<base64 SPKI public key>/,
    ],
    [
      'a bad key',
      () => file('bad-key.txt', `ship-a=${Buffer.from('junk').toString('base64')}\n`),
      /bad-key\.txt: key of 'ship-a'/,
    ],
  ])('refuses %s in one line naming the setting and the file', (_what, at, reason) => {
    const attempt = () => MasterConfig.fromEnv({ ...required, SYNC_SHIP_PUBLIC_KEYS_FILE: at() });
    expect(attempt).toThrow(/^Invalid configuration: SYNC_SHIP_PUBLIC_KEYS_FILE is invalid: /);
    expect(attempt).toThrow(reason);
  });
});
