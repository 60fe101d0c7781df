/**
 * Kafka security as the deployment guide describes it: TLS to the brokers (here mutual TLS, the
 * guide's broker requires client certificates) and SASL (PLAIN and SCRAM-SHA-512), configured
 * from the environment only. A private broker with a SASL_SSL
 * listener is started for this suite, with a CA and a broker certificate made here; every client
 * is built through the product's own path: validateEnv → kafkaConnectionSettings →
 * buildKafkaConfig.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import {
  createTopics,
  startOwnKafka,
  stopOwnKafka,
  uniqueName,
  waitFor,
  type OwnKafkaBroker,
} from '../../../../test/harness/test-infra';
import { KafkaEnv, kafkaConnectionSettings } from '../config/kafka.env';
import { ConfigValidationError, validateEnv } from '../config/validate-env';
import { buildKafkaConfig } from './kafka-config.builder';

const run = promisify(execFile);

const PLAIN_USER = { name: 'ship-plain', password: 'plain-secret-7f3a' };
const SCRAM_USER = { name: 'ship-scram', password: 'scram-secret-91c2' };
const STORE_PASSWORD = 'store-secret';

interface Certificates {
  caPem: string;
  keystore: string;
  /** A client certificate and key the CA signed (mutual TLS). */
  clientCert: string;
  clientKey: string;
  /** A client certificate from another CA, which the broker must refuse. */
  strangerCert: string;
  strangerKey: string;
}

/**
 * A CA, a broker certificate for 127.0.0.1/localhost as a PKCS#12 keystore, client certificates
 * from that CA and from a stranger's (openssl, in `dir`).
 */
async function makeCertificates(dir: string): Promise<Certificates> {
  const openssl = (command: string): Promise<unknown> =>
    run('openssl', command.split(/\s+/), { cwd: dir });
  const ca = async (name: string): Promise<unknown> =>
    openssl(
      `req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=${name} ` +
        '-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign ' +
        `-keyout ${name}.key -out ${name}.pem`,
    );
  const signed = async (name: string, cn: string, issuer: string, ext: string): Promise<void> => {
    await writeFile(path.join(dir, `${name}.ext`), `${ext}\n`);
    await openssl(
      `req -newkey rsa:2048 -nodes -subj /CN=${cn} -keyout ${name}.key -out ${name}.csr`,
    );
    await openssl(
      `x509 -req -in ${name}.csr -CA ${issuer}.pem -CAkey ${issuer}.key -CAcreateserial -days 2 ` +
        `-extfile ${name}.ext -out ${name}.pem`,
    );
  };
  await ca('ca');
  await ca('stranger-ca');
  // clientAuth too: the broker connects to its own listener.
  await signed(
    'broker',
    '127.0.0.1',
    'ca',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth',
  );
  await signed('client', 'ship-client', 'ca', 'extendedKeyUsage=clientAuth');
  await signed('stranger', 'ship-client', 'stranger-ca', 'extendedKeyUsage=clientAuth');
  await openssl(
    'pkcs12 -export -name broker -inkey broker.key -in broker.pem -certfile ca.pem ' +
      `-out broker.p12 -passout pass:${STORE_PASSWORD}`,
  );
  const file = (name: string): string => path.join(dir, name);
  return {
    caPem: file('ca.pem'),
    keystore: file('broker.p12'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
    strangerCert: file('stranger.pem'),
    strangerKey: file('stranger.key'),
  };
}

/**
 * Broker properties: SASL_SSL with PLAIN and SCRAM-SHA-512 (the broker talks to itself with
 * PLAIN). Mutual TLS as the deployment guide's broker has it (client auth required): clients
 * must present a certificate from the CA.
 */
function saslSslProperties(caPem: string, keystore: string): string {
  const plainUsers = [
    `user_admin="admin-secret"`,
    `user_${PLAIN_USER.name}="${PLAIN_USER.password}"`,
  ];
  return [
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${keystore}`,
    `ssl.keystore.password=${STORE_PASSWORD}`,
    `ssl.key.password=${STORE_PASSWORD}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${caPem}`,
    // On a SASL_SSL listener only the listener-prefixed setting turns client authentication on.
    'listener.name.sasl_ssl.ssl.client.auth=required',
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=PLAIN',
    'listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule ' +
      `required username="admin" password="admin-secret" ${plainUsers.join(' ')};`,
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    '',
  ].join('\n');
}

/** The kafkajs configuration exactly as the apps build it from their environment. */
function configFromEnv(raw: Record<string, string>): KafkaConfig {
  return buildKafkaConfig(kafkaConnectionSettings(validateEnv(KafkaEnv, raw), 'kafka-security'));
}

function kafkaFromEnv(raw: Record<string, string>, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({ ...configFromEnv(raw), logLevel: logLevel.NOTHING, ...overrides });
}

/** What `promise` rejected with (undefined when it resolved). */
async function rejection(promise: Promise<unknown>): Promise<Error | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
}

async function produceAndConsume(kafka: Kafka, topic: string): Promise<string> {
  const value = uniqueName('hello-over-sasl-ssl');
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: uniqueName('kafka-security') });
  const received: string[] = [];
  await producer.connect();
  await consumer.connect();
  try {
    await producer.send({ topic, messages: [{ key: 'k', value }] });
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        received.push(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    return await waitFor(() => received.find((v) => v === value), {
      description: `message ${value} consumed from ${topic}`,
      timeoutMs: 30_000,
    });
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}

describe('Kafka over SASL_SSL, configured from the environment', () => {
  let dir: string;
  let broker: OwnKafkaBroker | undefined;
  let certificates: Certificates;
  let baseEnv: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kafka-security-'));
    certificates = await makeCertificates(dir);
    const properties = path.join(dir, 'sasl-ssl.properties');
    await writeFile(properties, saslSslProperties(certificates.caPem, certificates.keystore));
    broker = await startOwnKafka({
      env: {
        KAFKA_LISTENER_NAME: 'SASL_SSL',
        KAFKA_EXTRA_PROPERTIES: properties,
        KAFKA_FORMAT_ARGS: `--add-scram SCRAM-SHA-512=[name=${SCRAM_USER.name},password=${SCRAM_USER.password}]`,
      },
    });
    baseEnv = {
      KAFKA_BROKERS: broker.brokers.join(','),
      KAFKA_SSL_ENABLED: 'true',
      KAFKA_SSL_CA_LOCATION: certificates.caPem,
      KAFKA_SSL_CERT_LOCATION: certificates.clientCert,
      KAFKA_SSL_KEY_LOCATION: certificates.clientKey,
    };
  });

  afterAll(async () => {
    if (broker) await stopOwnKafka(broker.dataDir);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const plainEnv = (): Record<string, string> => ({
    ...baseEnv,
    KAFKA_SASL_MECHANISM: 'plain',
    KAFKA_SASL_USERNAME: PLAIN_USER.name,
    KAFKA_SASL_PASSWORD: PLAIN_USER.password,
  });
  const scramEnv = (): Record<string, string> => ({
    ...baseEnv,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: SCRAM_USER.name,
    KAFKA_SASL_PASSWORD: SCRAM_USER.password,
  });

  it('produces and consumes with SASL PLAIN over mutual TLS (KAFKA_SSL_CA_LOCATION, KAFKA_SSL_CERT_LOCATION, KAFKA_SSL_KEY_LOCATION)', async () => {
    const { ssl, sasl } = configFromEnv(plainEnv());
    const tls = ssl as { rejectUnauthorized?: boolean; ca?: string[]; cert?: string; key?: string };
    expect(tls.rejectUnauthorized).toBe(true);
    expect(tls.ca?.[0]).toContain('BEGIN CERTIFICATE');
    expect(tls.cert).toContain('BEGIN CERTIFICATE');
    expect(tls.key).toContain('PRIVATE KEY');
    const topic = uniqueName('kafka-security-plain');
    await createTopics(baseEnv.KAFKA_BROKERS.split(','), [{ topic }], { ssl, sasl });
    await expect(produceAndConsume(kafkaFromEnv(plainEnv()), topic)).resolves.toMatch(
      /^hello-over-sasl-ssl/,
    );
  });

  it('produces and consumes with SASL SCRAM-SHA-512 over mutual TLS', async () => {
    const { ssl, sasl } = configFromEnv(scramEnv());
    expect(ssl).toMatchObject({ rejectUnauthorized: true });
    const topic = uniqueName('kafka-security-scram');
    await createTopics(baseEnv.KAFKA_BROKERS.split(','), [{ topic }], { ssl, sasl });
    await expect(produceAndConsume(kafkaFromEnv(scramEnv()), topic)).resolves.toMatch(
      /^hello-over-sasl-ssl/,
    );
  });

  it('is refused by the broker with a client certificate from another CA', async () => {
    const env = {
      ...plainEnv(),
      KAFKA_SSL_CERT_LOCATION: certificates.strangerCert,
      KAFKA_SSL_KEY_LOCATION: certificates.strangerKey,
    };
    const producer = kafkaFromEnv(env, { retry: { retries: 0 } }).producer();
    const error = await rejection(producer.connect());
    await producer.disconnect();
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toMatch(/certificate unknown|unknown ca|bad certificate/i);
  });

  it('is refused by the broker without a client certificate', async () => {
    const env = plainEnv();
    delete env.KAFKA_SSL_CERT_LOCATION;
    delete env.KAFKA_SSL_KEY_LOCATION;
    const producer = kafkaFromEnv(env, { retry: { retries: 0 } }).producer();
    const error = await rejection(producer.connect());
    await producer.disconnect();
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toMatch(/bad certificate|certificate required|handshake failure/i);
  });

  it('fails with a clear authentication error for a wrong PLAIN password', async () => {
    const producer = kafkaFromEnv({
      ...plainEnv(),
      KAFKA_SASL_PASSWORD: 'wrong-password',
    }).producer();
    const error = await rejection(producer.connect());
    await producer.disconnect();
    expect(error).toBeInstanceOf(Error);
    expect(error?.name).toBe('KafkaJSSASLAuthenticationError');
    expect(error?.message).toMatch(/SASL PLAIN authentication failed/);
    expect(error?.message).toMatch(/Invalid username or password|Authentication failed/i);
  });

  it('fails with a clear authentication error for a wrong SCRAM-SHA-512 password', async () => {
    const producer = kafkaFromEnv({
      ...scramEnv(),
      KAFKA_SASL_PASSWORD: 'wrong-password',
    }).producer();
    const error = await rejection(producer.connect());
    await producer.disconnect();
    expect(error?.name).toBe('KafkaJSSASLAuthenticationError');
    expect(error?.message).toMatch(/SASL SCRAM SHA512 authentication failed/);
  });

  it('refuses a broker whose certificate it cannot verify (no KAFKA_SSL_CA_LOCATION)', async () => {
    const env = plainEnv();
    delete env.KAFKA_SSL_CA_LOCATION;
    const producer = kafkaFromEnv(env, { retry: { retries: 0 } }).producer();
    const error = await rejection(producer.connect());
    await producer.disconnect();
    expect(error).toBeInstanceOf(Error);
    expect(String(error?.message)).toMatch(/certificate/i);
  });

  it('names the missing variable when a SASL mechanism is set without a password', () => {
    const env = plainEnv();
    delete env.KAFKA_SASL_PASSWORD;
    expect(() => validateEnv(KafkaEnv, env)).toThrow(ConfigValidationError);
    expect(() => validateEnv(KafkaEnv, env)).toThrow(/KAFKA_SASL_PASSWORD is required/);
  });
});
