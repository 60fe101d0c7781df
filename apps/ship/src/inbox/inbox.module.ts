import { Module } from '@nestjs/common';
import { SyncTopic, ensureTopics } from '@offline-sync/sync-core';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { ShipConfig } from '../core/config/ship-config';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { OutboxModule } from '../outbox/outbox.module';
import { InboxCatchUpService } from './inbox-catch-up.service';
import { InboxPositionsService } from './inbox-positions.service';
import { InboxService } from './inbox.service';
import { MasterUpdatesController } from './master-updates.controller';
import { ShipInboxServer } from './ship-inbox.server';

/**
 * Longest wait between the inbound consumer's own retries. kafkajs's default (30 s) lets a consumer
 * that lost the broker sleep that long after the link is back; capped, it gives up soon instead
 * and the ship restarts it as soon as the link is seen up (InboxCatchUpService).
 */
export const INBOX_MAX_RETRY_MS = 2000;

/**
 * The consumer's client settings: short retries, and no restart by kafkajs after a crash (its
 * restart waits out the last backoff, up to 15 s seen, even when the link came back meanwhile);
 * the ship restarts the consumer itself when the connectivity monitor reports the link up.
 */
export function inboxKafkaConfig(kafka: KafkaConfig): KafkaConfig {
  const retry = {
    ...kafka.retry,
    maxRetryTime: Math.min(kafka.retry?.maxRetryTime ?? INBOX_MAX_RETRY_MS, INBOX_MAX_RETRY_MS),
    restartOnFailure: () => Promise.resolve(false),
  };
  return { ...kafka, retry };
}

/**
 * How long the broker keeps a consumer that stopped heartbeating in the ship's group. The group
 * has one member, but a consumer that lost its link is still a member until this runs out, and a
 * new one (after the link returns) cannot join before: the default 30 s would stall the inbox
 * that long after an outage.
 */
export const INBOX_SESSION_TIMEOUT_MS = 10_000;

@Module({
  imports: [OutboxModule, DeadLettersModule],
  controllers: [MasterUpdatesController],
  providers: [
    InboxService,
    InboxPositionsService,
    InboxCatchUpService,
    {
      // One consumer (one group per ship) for master-updates and this ship's outcome topic; it
      // seeks to the positions kept in the ship's database, never relying on group offsets.
      provide: ShipInboxServer,
      inject: [ShipConfig, DeadLettersService, InboxPositionsService],
      useFactory: (
        config: ShipConfig,
        deadLetters: DeadLettersService,
        positions: InboxPositionsService,
      ) =>
        new ShipInboxServer(
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
            loadPositions: () => positions.load(),
            retry: { initialDelayMs: 500, maxDelayMs: 30_000 },
          },
          // The master creates it before its first send; the ship tries too (docs/protocol.md).
          async () => {
            await ensureTopics(new Kafka({ ...config.kafka, logLevel: logLevel.NOTHING }), [
              { topic: config.outcomesTopic, numPartitions: 1 },
            ]);
          },
        ),
    },
  ],
  exports: [InboxPositionsService, InboxCatchUpService, ShipInboxServer, InboxService],
})
export class InboxModule {}
