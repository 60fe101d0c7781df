import {
  ContentTypeRegistry,
  buildKafkaConfig,
  kafkaConnectionSettings,
  kafkaTopicNames,
  outcomesTopicFor,
  parseContentTypes,
  parseLocalOnlyPattern,
  shipConsumerGroupId,
  validateEnv,
  type SyncTopicNames,
} from '@offline-sync/sync-core';
import type { KafkaConfig } from 'kafkajs';
import { ShipEnv } from './ship.env';

export type ShipDatabaseSettings =
  | { client: 'sqlite'; filename: string; cacheSizeKib?: number }
  | { client: 'postgres'; url: string };

/** The ship's validated configuration; built once at start-up, injected where needed. */
export class ShipConfig {
  readonly shipId: string;
  readonly http: { host: string; port: number };
  readonly logLevel: string;
  readonly database: ShipDatabaseSettings;
  readonly kafka: KafkaConfig;
  readonly topics: SyncTopicNames;
  readonly outcomesTopic: string;
  readonly consumerGroupId: string;
  readonly compression: 'gzip' | 'none';
  readonly sync: {
    batchSize: number;
    retryAttempts: number;
    retryDelayMs: number;
    debounceMs: number;
    heartbeatIntervalMs: number;
    connectivityCheckIntervalMs: number;
    outcomeTimeoutMs: number;
  };
  /** Test-only shift of the ship's clock (SYNC_TEST_CLOCK_OFFSET_MS). */
  readonly clockOffsetMs: number;
  readonly contentTypes: ContentTypeRegistry;
  readonly signingPrivateKey: string;
  readonly masterPublicKey: string;
  readonly shutdownTimeoutMs: number;
  /** Settled history older than `days` is purged every `intervalMs`. */
  readonly retention: { days: number; intervalMs: number };
  /** A defect switched on for the fault-injection self-check (NODE_ENV=test only), or null. */
  readonly chaosDefect: 'ack-before-commit' | null;

  constructor(readonly env: ShipEnv) {
    this.shipId = env.SYNC_SHIP_ID;
    this.http = { host: env.HOST, port: env.PORT };
    this.logLevel = env.LOG_LEVEL;
    this.database =
      env.DATABASE_CLIENT === 'postgres' && env.DATABASE_URL
        ? { client: 'postgres', url: env.DATABASE_URL }
        : {
            client: 'sqlite',
            filename: env.DATABASE_FILENAME,
            cacheSizeKib: env.DATABASE_CACHE_SIZE_KIB,
          };
    this.kafka = buildKafkaConfig({
      ...kafkaConnectionSettings(env, `offline-sync-${env.SYNC_SHIP_ID}`),
      requestTimeoutMs: env.KAFKA_REQUEST_TIMEOUT,
    });
    this.topics = kafkaTopicNames(env);
    this.outcomesTopic = outcomesTopicFor(this.topics, env.SYNC_SHIP_ID);
    // One group per ship: every ship reads every master update.
    this.consumerGroupId = shipConsumerGroupId(env.SYNC_SHIP_ID, env.KAFKA_CONSUMER_GROUP_SUFFIX);
    this.compression = env.KAFKA_COMPRESSION;
    this.sync = {
      batchSize: env.SYNC_BATCH_SIZE,
      retryAttempts: env.SYNC_RETRY_ATTEMPTS,
      retryDelayMs: env.SYNC_RETRY_DELAY,
      debounceMs: env.SYNC_DEBOUNCE_MS,
      heartbeatIntervalMs: env.SYNC_HEARTBEAT_INTERVAL,
      connectivityCheckIntervalMs: env.SYNC_CONNECTIVITY_CHECK_INTERVAL,
      outcomeTimeoutMs: env.SYNC_OUTCOME_TIMEOUT,
    };
    this.clockOffsetMs = env.SYNC_TEST_CLOCK_OFFSET_MS;
    this.contentTypes = new ContentTypeRegistry(
      parseContentTypes(env.SYNC_CONTENT_TYPES),
      parseLocalOnlyPattern(env.SYNC_LOCAL_ONLY_PATTERN),
    );
    this.signingPrivateKey = env.SYNC_SIGNING_PRIVATE_KEY;
    this.masterPublicKey = env.SYNC_MASTER_PUBLIC_KEY;
    this.shutdownTimeoutMs = env.SHUTDOWN_TIMEOUT;
    this.retention = { days: env.SYNC_RETENTION_DAYS, intervalMs: env.SYNC_RETENTION_INTERVAL };
    this.chaosDefect = env.SYNC_CHAOS_DEFECT === '' ? null : env.SYNC_CHAOS_DEFECT;
  }

  static fromEnv(raw: Record<string, string | undefined>): ShipConfig {
    return new ShipConfig(validateEnv(ShipEnv, raw));
  }
}
