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
