import { exportPrivateKeyBase64, generateSigningKeyPair } from '../envelope/signing-keys';
import { ConfigValidationError, validateEnv } from './validate-env';
import { SyncEnv } from './sync.env';
import { IsString, Matches } from 'class-validator';

class UrlEnv {
  @Matches(/^postgres:\/\//, { message: 'must be a postgres:// URL' })
  @IsString()
  DATABASE_URL!: string;
}

const base = {
  SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(generateSigningKeyPair().privateKey),
};

describe('validateEnv', () => {
  it('applies the seed defaults', () => {
    const env = validateEnv(SyncEnv, base);
    expect(env.SYNC_BATCH_SIZE).toBe(100);
    expect(env.SYNC_RETRY_ATTEMPTS).toBe(3);
    expect(env.SYNC_RETRY_DELAY).toBe(5000);
    expect(env.SYNC_CONNECTIVITY_CHECK_INTERVAL).toBe(30_000);
    expect(env.SYNC_DEBOUNCE_MS).toBe(1000);
    expect(env.KAFKA_BROKERS).toEqual(['localhost:9092']);
    expect(env.KAFKA_TOPIC_SHIP_UPDATES).toBe('ship-updates');
    expect(env.KAFKA_TOPIC_MASTER_UPDATES).toBe('master-updates');
    expect(env.KAFKA_SSL_ENABLED).toBe(false);
    expect(env.KAFKA_OUTCOME_TOPIC_GROUPS).toBe(0);
  });

  it('converts well-formed strings', () => {
    const env = validateEnv(SyncEnv, {
      ...base,
      SYNC_BATCH_SIZE: '50',
      KAFKA_SSL_ENABLED: 'true',
      KAFKA_BROKERS: 'a:9092, b:9093',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    expect(env.SYNC_BATCH_SIZE).toBe(50);
    expect(env.KAFKA_SSL_ENABLED).toBe(true);
    expect(env.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(env.KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
  });

  it.each([
    [{ SYNC_BATCH_SIZE: 'abc' }, /SYNC_BATCH_SIZE must be an integer \(got "abc"\)/],
    [{ SYNC_BATCH_SIZE: '0' }, /SYNC_BATCH_SIZE must not be less than 1/],
    [{ KAFKA_BROKERS: 'no-port' }, /KAFKA_BROKERS must be a comma-separated list of host:port/],
    [{ KAFKA_SSL_ENABLED: 'maybe' }, /KAFKA_SSL_ENABLED must be true or false \(got "maybe"\)/],
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, /KAFKA_SASL_MECHANISM must be one of plain/],
    [
      { KAFKA_SASL_MECHANISM: 'plain' },
      /KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set/,
    ],
    [{ KAFKA_OUTCOME_TOPIC_GROUPS: '-1' }, /KAFKA_OUTCOME_TOPIC_GROUPS must not be less than 0/],
    [
      { SYNC_CONTENT_TYPES: 'article:nope' },
      /SYNC_CONTENT_TYPES is invalid: .*policy must be one of/,
    ],
  ])('rejects %j with one line naming the variable', (override, message) => {
    const run = () => validateEnv(SyncEnv, { ...base, ...override });
    expect(run).toThrow(ConfigValidationError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('rejects a signing key that is not an Ed25519 private key', () => {
    expect(() => validateEnv(SyncEnv, { SYNC_SIGNING_PRIVATE_KEY: 'not-a-key' })).toThrow(
      /SYNC_SIGNING_PRIVATE_KEY is invalid: .*\(got "\*\*\*"\)/,
    );
  });

  it('reports only the first failed check of a variable', () => {
    expect(() => validateEnv(SyncEnv, { ...base, SYNC_BATCH_SIZE: 'abc' })).toThrow(
      /^Invalid configuration: SYNC_BATCH_SIZE must be an integer \(got "abc"\)$/,
    );
  });

  it('names a missing required variable', () => {
    expect(() => validateEnv(SyncEnv, {})).toThrow(
      /SYNC_SIGNING_PRIVATE_KEY is required.*\(not set\)/,
    );
  });

  it('never prints secrets', () => {
    expect(() =>
      validateEnv(SyncEnv, {
        ...base,
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: '',
      }),
    ).toThrow(/KAFKA_SASL_PASSWORD .*\(got "\*\*\*"\)/);
  });

  it('masks the password of a connection URL it refuses', () => {
    const run = () => validateEnv(UrlEnv, { DATABASE_URL: 'mysql://sync:s3cr3t@db:3306/sync' });
    expect(run).toThrow(
      /DATABASE_URL must be a postgres:\/\/ URL \(got "mysql:\/\/sync:\*\*\*@db:3306\/sync"\)/,
    );
    expect(run).not.toThrow(/s3cr3t/);
  });
});
