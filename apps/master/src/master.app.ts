import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  API_PREFIX,
  DEAD_LETTER_SINK,
  KafkaBatchServer,
  SyncExceptionFilter,
  limitJsonBodies,
  SyncTopic,
  createValidationPipe,
  ensureTopics,
  setupOpenApi,
  type DeadLetterSink,
} from '@offline-sync/sync-core';
import { Kafka } from 'kafkajs';
import { Logger } from 'nestjs-pino';
import { MasterConfig } from './core/config/master-config';
import { consoleSecurityHeaders } from './console/console.module';
import { MasterAppModule } from './master-app.module';
import { MASTER_OPENAPI } from './master-openapi';

/**
 * Creates the master: REST API under /api and the ship-updates and heartbeats consumers (one
 * batch transport, one consumer group), sharing one DI container, one ValidationPipe and one
 * exception filter (the consumer inherits the app's).
 */
/**
 * Topics ships write take the broker's append time: a ship's clock may be far off, and brokers
 * refuse a message time more than an hour ahead of theirs (and retention would follow it).
 */
const SHIP_WRITTEN_TOPIC_CONFIG = { 'message.timestamp.type': 'LogAppendTime' };

export async function createMasterApp(config: MasterConfig): Promise<INestApplication> {
  return (await createMaster(config)).app;
}

/** The master and its Kafka consumer (the entry point stops the consumer first on SIGTERM). */
export async function createMaster(
  config: MasterConfig,
): Promise<{ app: INestApplication; consumer: KafkaBatchServer }> {
  const app = await NestFactory.create<NestExpressApplication>(MasterAppModule.forRoot(config), {
    bufferLogs: true,
  });
  limitJsonBodies(app);
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX);
  app.use('/console', consoleSecurityHeaders);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new SyncExceptionFilter());
  setupOpenApi(app, MASTER_OPENAPI);

  await ensureTopics(new Kafka(config.kafka), [
    {
      topic: config.topics.shipUpdates,
      numPartitions: config.shipUpdatesPartitions,
      required: SHIP_WRITTEN_TOPIC_CONFIG,
    },
    { topic: config.topics.heartbeats, numPartitions: 1, required: SHIP_WRITTEN_TOPIC_CONFIG },
    {
      topic: config.topics.masterUpdates,
      numPartitions: 1,
      config: { 'cleanup.policy': 'compact' },
    },
  ]);

  const consumer = new KafkaBatchServer({
    kafka: config.kafka,
    groupId: config.consumerGroupId,
    topics: {
      [SyncTopic.ShipUpdates]: config.topics.shipUpdates,
      [SyncTopic.Heartbeats]: config.topics.heartbeats,
    },
    deadLetters: app.get<DeadLetterSink>(DEAD_LETTER_SINK),
    partitionsConsumedConcurrently: 2,
    // One ingest transaction per slice of a fetch, not per fetch: a 4 MiB gzip fetch of a
    // returning ship's backlog holds ~100,000 changes, and two partitions at once held the
    // master's memory well above 300 MB. A slice is 512 KiB of envelopes (about 20 full ones,
    // 2,000 changes at the default SYNC_BATCH_SIZE) or 200 envelopes: a fleet whose ships send a
    // change or two at a time fills a transaction with many ships' envelopes, not 20.
    maxMessagesPerDispatch: 200,
    maxBytesPerDispatch: 512 * 1024,
    // A heartbeat costs a signature check and its share of one upsert: a fleet's heartbeats go
    // in hundreds per transaction, not twenty.
    dispatchLimits: { [SyncTopic.Heartbeats]: { maxMessages: 500 } },
    maxBytesPerPartition: 1024 * 1024,
    sessionTimeoutMs: config.sessionTimeoutMs,
  });
  app.connectMicroservice({ strategy: consumer }, { inheritAppConfig: true });
  // Modules first (migrations, the outbox relay...), so no batch ever meets an old schema.
  await app.init();
  await app.startAllMicroservices();
  return { app, consumer };
}
