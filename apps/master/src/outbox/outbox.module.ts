import { Module } from '@nestjs/common';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { masterPublisherProvider } from './master-publisher.provider';
import { OutboxCleanup } from './outbox-cleanup';
import { OutboxController } from './outbox.controller';
import { OutboxLanes } from './outbox-lanes';
import { OutboxParking } from './outbox-parking';
import { OutboxQueueService } from './outbox-queue.service';
import { OutboxRelay } from './outbox-relay';
import { OutboxSigner } from './outbox-signer';
import { OutboxWriter } from './outbox-writer';
import { OutcomeFanout } from './outcome-fanout';
import { OutcomeSender } from './outcome-sender';
import { OutcomeTopics } from './outcome-topics';
import { ParkedRowsReplayer } from './parked-rows.replayer';
import { TopicBackoffs } from './topic-backoff';
import { TopicSender } from './topic-sender';

@Module({
  imports: [DeadLettersModule],
  controllers: [OutboxController],
  providers: [
    OutboxQueueService,
    OutboxCleanup,
    OutboxWriter,
    OutboxRelay,
    OutboxLanes,
    TopicBackoffs,
    TopicSender,
    OutcomeFanout,
    OutboxSigner,
    OutboxParking,
    OutcomeTopics,
    OutcomeSender,
    ParkedRowsReplayer,
    masterPublisherProvider,
  ],
  exports: [OutboxWriter, OutboxRelay, OutcomeTopics, OutcomeSender, OutboxCleanup],
})
export class OutboxModule {}
