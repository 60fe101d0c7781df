import {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
} from '@offline-sync/sync-core';
import { ShipConfig } from './ship-config';

/** The SQLite page cache a ship opens its file with (DATABASE_CACHE_SIZE_KIB). */
describe('ShipConfig: database', () => {
  const required = {
    SYNC_SHIP_ID: 'ship-a',
    SYNC_MASTER_PUBLIC_KEY: exportPublicKeyBase64(generateSigningKeyPair().publicKey),
    SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(generateSigningKeyPair().privateKey),
  };

  it('gives SQLite a 2 MiB page cache unless told otherwise', () => {
    expect(ShipConfig.fromEnv(required).database).toEqual({
      client: 'sqlite',
      filename: 'data/ship.db',
      cacheSizeKib: 2048,
    });
    const sized = ShipConfig.fromEnv({ ...required, DATABASE_CACHE_SIZE_KIB: '16384' });
    expect(sized.database).toMatchObject({ cacheSizeKib: 16384 });
  });

  it.each(['abc', '100', '2000000'])('refuses DATABASE_CACHE_SIZE_KIB=%s, naming it', (value) => {
    expect(() => ShipConfig.fromEnv({ ...required, DATABASE_CACHE_SIZE_KIB: value })).toThrow(
      /^Invalid configuration: DATABASE_CACHE_SIZE_KIB /,
    );
  });
});

/** How long settled history is kept, and how often it is purged. */
describe('ShipConfig: retention', () => {
  const required = {
    SYNC_SHIP_ID: 'ship-a',
    SYNC_MASTER_PUBLIC_KEY: exportPublicKeyBase64(generateSigningKeyPair().publicKey),
    SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(generateSigningKeyPair().privateKey),
  };

  it('keeps 90 days and purges every 10 minutes unless told otherwise', () => {
    expect(ShipConfig.fromEnv(required).retention).toEqual({ days: 90, intervalMs: 600_000 });
    const set = ShipConfig.fromEnv({
      ...required,
      SYNC_RETENTION_DAYS: '400',
      SYNC_RETENTION_INTERVAL: '3600000',
    });
    expect(set.retention).toEqual({ days: 400, intervalMs: 3_600_000 });
  });

  it.each([
    ['SYNC_RETENTION_DAYS', 'abc'],
    ['SYNC_RETENTION_DAYS', '0'],
    ['SYNC_RETENTION_DAYS', '1.5'],
    ['SYNC_RETENTION_DAYS', '10000'],
    ['SYNC_RETENTION_INTERVAL', '10'],
    ['SYNC_RETENTION_INTERVAL', 'soon'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => ShipConfig.fromEnv({ ...required, [name]: value })).toThrow(
      new RegExp(`^Invalid configuration: ${name} `),
    );
  });
});
