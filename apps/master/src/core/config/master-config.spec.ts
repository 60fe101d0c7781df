import { exportPrivateKeyBase64, generateSigningKeyPair } from '@offline-sync/sync-core';
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
