import {
  ContentTypeRegistry,
  buildKafkaConfig,
  kafkaConnectionSettings,
  kafkaTopicNames,
  masterConsumerGroupId,
  parseContentTypes,
  parseLocalOnlyPattern,
  validateEnv,
  type SyncTopicNames,
} from '@offline-sync/sync-core';
import type { KafkaConfig } from 'kafkajs';
import { MasterEnv } from './master.env';
import {
  parseShipPublicKeys,
  readShipPublicKeysFile,
  type ShipKeyEntries,
} from './ship-public-keys.parser';

/**
 * The master's validated configuration, injected wherever settings are needed. Built once from
 * the environment at start-up; a bad value stops the app before any module starts.
 */
export class MasterConfig {
  readonly http: { host: string; port: number };
  readonly logLevel: string;
  readonly database: { url: string; poolMax: number; migrateOnStart: boolean };
  readonly kafka: KafkaConfig;
  readonly topics: SyncTopicNames;
  readonly consumerGroupId: string;
  readonly compression: 'gzip' | 'none';
  /** Bytes of messages per produce request of the outbox relay (KAFKA_MAX_REQUEST_BYTES). */
  readonly maxRequestBytes: number;
  readonly shipUpdatesPartitions: number;
  readonly sessionTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly sync: {
    batchSize: number;
    retryAttempts: number;
    retryDelayMs: number;
    shipOfflineAfterMs: number;
    outboxPollIntervalMs: number;
    batchSigning: boolean;
    clockToleranceMs: number;
    envelopeKeyIds: boolean;
  };
  readonly consoleDir: string;
  readonly contentTypes: ContentTypeRegistry;
  readonly signingPrivateKey: string;
  /** Ship id → public key, from SYNC_SHIP_PUBLIC_KEYS and SYNC_SHIP_PUBLIC_KEYS_FILE. */
  readonly shipPublicKeys: ShipKeyEntries;
  /** Ships named in each per-ship metric (SYNC_METRICS_TOP_SHIPS). */
  readonly metricsTopShips: number;
  /** Settled history older than `days` is purged every `intervalMs`. */
  readonly retention: { days: number; intervalMs: number };

  constructor(readonly env: MasterEnv) {
    this.http = { host: env.HOST, port: env.PORT };
    this.logLevel = env.LOG_LEVEL;
    this.database = { url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX, migrateOnStart: true };
    this.kafka = buildKafkaConfig(kafkaConnectionSettings(env, 'offline-sync-master'));
    this.topics = kafkaTopicNames(env);
    this.consumerGroupId = masterConsumerGroupId(env.KAFKA_CONSUMER_GROUP_SUFFIX);
    this.compression = env.KAFKA_COMPRESSION;
    this.maxRequestBytes = env.KAFKA_MAX_REQUEST_BYTES;
    this.shipUpdatesPartitions = env.KAFKA_SHIP_UPDATES_PARTITIONS;
    this.sessionTimeoutMs = env.KAFKA_SESSION_TIMEOUT;
    this.shutdownTimeoutMs = env.SHUTDOWN_TIMEOUT;
    this.sync = {
      batchSize: env.SYNC_BATCH_SIZE,
      retryAttempts: env.SYNC_RETRY_ATTEMPTS,
      retryDelayMs: env.SYNC_RETRY_DELAY,
      shipOfflineAfterMs: env.SYNC_SHIP_OFFLINE_AFTER,
      outboxPollIntervalMs: env.SYNC_OUTBOX_POLL_INTERVAL,
      batchSigning: env.SYNC_BATCH_SIGNING,
      clockToleranceMs: env.SYNC_CLOCK_TOLERANCE,
      envelopeKeyIds: env.SYNC_ENVELOPE_KEY_IDS,
    };
    this.consoleDir = env.CONSOLE_DIR;
    this.contentTypes = new ContentTypeRegistry(
      parseContentTypes(env.SYNC_CONTENT_TYPES),
      parseLocalOnlyPattern(env.SYNC_LOCAL_ONLY_PATTERN),
    );
    this.signingPrivateKey = env.SYNC_SIGNING_PRIVATE_KEY;
    this.shipPublicKeys = [
      ...parseShipPublicKeys(env.SYNC_SHIP_PUBLIC_KEYS),
      ...readShipPublicKeysFile(env.SYNC_SHIP_PUBLIC_KEYS_FILE),
    ];
    this.metricsTopShips = env.SYNC_METRICS_TOP_SHIPS;
    this.retention = { days: env.SYNC_RETENTION_DAYS, intervalMs: env.SYNC_RETENTION_INTERVAL };
  }

  static fromEnv(raw: Record<string, string | undefined>): MasterConfig {
    return new MasterConfig(validateEnv(MasterEnv, raw));
  }
}
