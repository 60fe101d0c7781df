import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { KafkaConnectionSettings } from './kafka-connection.settings';
import { errorMessage } from '../errors/error-message';

/**
 * Builds the kafkajs client configuration. TLS material is read from files once, at start-up,
 * so a missing certificate stops the app instead of failing at the first reconnect.
 */
export function buildKafkaConfig(settings: KafkaConnectionSettings): KafkaConfig {
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: settings.connectionTimeoutMs ?? 10_000,
    requestTimeout: settings.requestTimeoutMs ?? 30_000,
  };
  if (settings.ssl?.enabled) {
    config.ssl = buildTlsOptions(settings.ssl);
  }
  if (settings.sasl) {
    config.sasl = buildSaslOptions(settings.sasl);
  }
  return config;
}

function buildTlsOptions(ssl: NonNullable<KafkaConnectionSettings['ssl']>): ConnectionOptions {
  const tls: ConnectionOptions = { rejectUnauthorized: ssl.rejectUnauthorized };
  if (ssl.caLocation) tls.ca = [readPem(ssl.caLocation, 'KAFKA_SSL_CA_LOCATION')];
  if (ssl.certLocation) tls.cert = readPem(ssl.certLocation, 'KAFKA_SSL_CERT_LOCATION');
  if (ssl.keyLocation) tls.key = readPem(ssl.keyLocation, 'KAFKA_SSL_KEY_LOCATION');
  if (ssl.keyPassword) tls.passphrase = ssl.keyPassword;
  return tls;
}

function buildSaslOptions(sasl: NonNullable<KafkaConnectionSettings['sasl']>): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

function readPem(path: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${variable}: cannot read ${path} (${errorMessage(error)})`, {
      cause: error,
    });
  }
}
