import { Module } from '@nestjs/common';
import { SyncTopic, ensureTopics } from '@offline-sync/sync-core';
import { Kafka, logLevel } from 'kafkajs';
import { ShipConfig } from '../core/config/ship-config';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { OutboxModule } from '../outbox/outbox.module';
import { InboxCatchUpService } from './inbox-catch-up.service';
import { InboxPositionsService } from './inbox-positions.service';
import { InboxService } from './inbox.service';
import { MasterUpdatesController } from './master-updates.controller';
import { ShipInboxServer } from './ship-inbox.server';

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
            kafka: config.kafka,
            groupId: config.consumerGroupId,
            topics: {
              [SyncTopic.MasterUpdates]: config.topics.masterUpdates,
              [SyncTopic.ChangeOutcomes]: config.outcomesTopic,
            },
            deadLetters,
            fromBeginning: true,
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
