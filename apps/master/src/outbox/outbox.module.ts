import { Module } from '@nestjs/common';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { masterPublisherProvider } from './master-publisher.provider';
import { OutboxCleanup } from './outbox-cleanup';
import { OutboxController } from './outbox.controller';
import { OutboxQueueService } from './outbox-queue.service';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';
import { OutcomeSender } from './outcome-sender';
import { OutcomeTopics } from './outcome-topics';
import { ParkedRowsReplayer } from './parked-rows.replayer';

@Module({
  imports: [DeadLettersModule],
  controllers: [OutboxController],
  providers: [
    OutboxQueueService,
    OutboxCleanup,
    OutboxWriter,
    OutboxRelay,
    OutcomeTopics,
    OutcomeSender,
    ParkedRowsReplayer,
    masterPublisherProvider,
  ],
  exports: [OutboxWriter, OutboxRelay, OutcomeTopics, OutcomeSender, OutboxCleanup],
})
export class OutboxModule {}
