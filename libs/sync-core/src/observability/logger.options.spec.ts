import pino from 'pino';
import { LOG_REDACTION, loggerParams } from './logger.options';

const SECRETS = {
  apiKey: 'alice-operator-secret-0001',
  privateKey: 'MC4CAQAwBQYDK2VwBCIEIPrivateKeyBytes',
  dbPassword: 'db-pass-7f3a',
  saslPassword: 'sasl-pass-91c2',
};

/** Every line a pino logger with the app's redaction writes for `entries`, as one string. */
function logged(entries: object[]): string {
  const lines: string[] = [];
  const logger = pino(
    { redact: LOG_REDACTION },
    { write: (line: string) => void lines.push(line) },
  );
  for (const entry of entries) logger.info(entry, 'entry');
  return lines.join('');
}

describe('log redaction', () => {
  it('is what the app logger uses', () => {
    const params = loggerParams({ level: 'info', app: 'master', node: 'master' });
    expect(params.pinoHttp).toMatchObject({ redact: LOG_REDACTION });
  });

  it('never writes API keys, private keys or database and Kafka passwords', () => {
    const text = logged([
      {
        req: {
          headers: { 'x-api-key': SECRETS.apiKey, authorization: `Bearer ${SECRETS.apiKey}` },
        },
      },
      { apiKey: SECRETS.apiKey, privateKey: SECRETS.privateKey, password: SECRETS.dbPassword },
      {
        env: {
          SYNC_API_KEYS: `alice:operator:${SECRETS.apiKey}`,
          SYNC_SIGNING_PRIVATE_KEY: SECRETS.privateKey,
          DATABASE_URL: `postgres://app:${SECRETS.dbPassword}@db:5432/sync`,
          KAFKA_SASL_PASSWORD: SECRETS.saslPassword,
        },
      },
      {
        kafka: {
          sasl: { mechanism: 'scram-sha-512', username: 'u', password: SECRETS.saslPassword },
        },
      },
      { config: { database: { password: SECRETS.dbPassword } } },
    ]);
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    // What is not secret stays readable.
    expect(text).toContain('scram-sha-512');
  });
});
