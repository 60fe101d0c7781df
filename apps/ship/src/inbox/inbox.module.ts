import { Module } from '@nestjs/common';
import {
  SyncTopic,
  ensureTopics,
  outcomeTopicConfig,
  type StoredPosition,
} from '@offline-sync/sync-core';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { DocumentsModule } from '../documents/documents.module';
import { OutboxModule } from '../outbox/outbox.module';
import { InboxCatchUpService } from './inbox-catch-up.service';
import { InboxDeadLetterSink } from './inbox-dead-letter.sink';
import { InboxPositionsRepository } from './inbox-positions.repository';
import { InboundPipeline } from './inbound-pipeline';
import { InboxService } from './inbox.service';
import { MasterUpdatesController } from './master-updates.controller';
import { ShipInboxServer } from './ship-inbox.server';

/**
 * Longest wait between the inbound consumer's retries, and so before kafkajs restarts a consumer
 * that gave up on the broker (it waits out the last backoff: 15 s and more with the default 30 s
 * cap, even when the link came back meanwhile). Capped, the consumer is back within about this
 * long once the link returns.
 */
export const INBOX_MAX_RETRY_MS = 2000;

/**
 * The consumer's client settings: the ship's, with retries capped at INBOX_MAX_RETRY_MS. The first
 * retry waits 1 s (kafkajs: 300 ms), so its 5 retries still span about as long as by default
 * (~9 s) before the consumer gives up: a broker slow to get ready does not crash it sooner.
 */
export function inboxKafkaConfig(kafka: KafkaConfig): KafkaConfig {
  const maxRetryTime = Math.min(
    kafka.retry?.maxRetryTime ?? INBOX_MAX_RETRY_MS,
    INBOX_MAX_RETRY_MS,
  );
  const initialRetryTime = kafka.retry?.initialRetryTime ?? INBOX_MAX_RETRY_MS / 2;
  return { ...kafka, retry: { ...kafka.retry, initialRetryTime, maxRetryTime } };
}

/**
 * How long the broker keeps a consumer that stopped heartbeating in the ship's group. The group
 * has one member, but a consumer that lost its link is still a member until this runs out, and a
 * new one (after the link returns) cannot join before: the default 30 s would stall the inbox
 * that long after an outage.
 */
export const INBOX_SESSION_TIMEOUT_MS = 10_000;

/**
 * Master updates applied per transaction. One fetch used to be applied whole: after an outage or
 * at a new ship's bootstrap that is ~34,000 master updates (4 MiB compressed), every one decoded,
 * validated, verified and turned into a row before the first was written. That held hundreds of
 * MB (peak RSS 585-860 MB), and on a busy machine it kept the event loop from heartbeating for
 * longer than the session timeout: the group dropped the member, the batch's commit failed and
 * the same batch was read again, forever. In slices of this many, what a slice builds dies with
 * its transaction, and the consumer heartbeats between slices. SQLite runs on the event loop, so a
 * slice is also what holds it: 100 keeps that to tens of milliseconds.
 */
export const INBOX_MESSAGES_PER_TRANSACTION = 100;

/**
 * Received bytes per slice, as well: an outcome envelope carries up to 1,000 outcomes, so 100 of
 * them (a backlog's answers) would be 100,000 changes to settle at once (the outcomes handler
 * settles each slice in short transactions). ~100 master updates, or one outcome envelope.
 */
export const INBOX_MAX_BYTES_PER_TRANSACTION = 128 * 1024;

/**
 * Bytes fetched per partition at once (compressed; ~1,000 master updates, one slice's worth of
 * outcome envelopes). The fetched batch stays in memory until all its slices are applied, and
 * what is applied stays until the next full collection: 512 KiB kept 8-17 MB of fetches in the
 * heap's external memory under ingest, 128 KiB keeps 4-9 MB (peak RSS 157-160 MB -> 152-154 MB),
 * with the same bootstrap and catch-up times.
 */
export const INBOX_MAX_BYTES_PER_PARTITION = 128 * 1024;

@Module({
  imports: [OutboxModule, DeadLettersModule, DocumentsModule],
  controllers: [MasterUpdatesController],
  providers: [
    InboxService,
    InboundPipeline,
    InboxPositionsRepository,
    InboxDeadLetterSink,
    InboxCatchUpService,
    {
      // One consumer (one group per ship) for master-updates and this ship's outcome topic; it
      // seeks to the positions kept in the ship's database, never relying on group offsets.
      provide: ShipInboxServer,
      inject: [ShipConfig, InboxDeadLetterSink, InboxPositionsRepository, ShipDatabase],
      useFactory: (
        config: ShipConfig,
        deadLetters: InboxDeadLetterSink,
        positions: InboxPositionsRepository,
        db: ShipDatabase,
      ) => {
        // Read before each start attempt, so the consumer seeks the moment it has joined (a read
        // queued behind other database work would give its first fetch, from the beginning for
        // a new group, time to land first).
        let stored: StoredPosition[] = [];
        return new ShipInboxServer(
          {
            kafka: inboxKafkaConfig(config.kafka),
            groupId: config.consumerGroupId,
            topics: {
              [SyncTopic.MasterUpdates]: config.topics.masterUpdates,
              [SyncTopic.ChangeOutcomes]: config.outcomesTopic,
            },
            deadLetters,
            fromBeginning: true,
            sessionTimeoutMs: INBOX_SESSION_TIMEOUT_MS,
            maxMessagesPerDispatch: INBOX_MESSAGES_PER_TRANSACTION,
            maxBytesPerDispatch: INBOX_MAX_BYTES_PER_TRANSACTION,
            maxBytesPerPartition: INBOX_MAX_BYTES_PER_PARTITION,
            loadPositions: () => Promise.resolve(stored),
            retry: { initialDelayMs: 500, maxDelayMs: 30_000 },
          },
          // The master creates it before its first send; the ship tries too (docs/protocol.md).
          async () => {
            await ensureTopics(new Kafka({ ...config.kafka, logLevel: logLevel.NOTHING }), [
              {
                topic: config.outcomesTopic,
                numPartitions: 1,
                config: outcomeTopicConfig(config.retention.days),
              },
            ]);
            stored = await db.read((tx) => positions.load(tx));
          },
        );
      },
    },
  ],
  exports: [
    InboxPositionsRepository,
    InboundPipeline,
    InboxCatchUpService,
    ShipInboxServer,
    InboxService,
  ],
})
export class InboxModule {}
