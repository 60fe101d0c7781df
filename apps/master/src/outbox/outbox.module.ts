import { Module } from '@nestjs/common';
import { masterPublisherProvider } from './master-publisher.provider';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';
import { OutcomeSender } from './outcome-sender';
import { OutcomeTopics } from './outcome-topics';

@Module({
  providers: [OutboxWriter, OutboxRelay, OutcomeTopics, OutcomeSender, masterPublisherProvider],
  exports: [OutboxWriter, OutboxRelay, OutcomeTopics, OutcomeSender],
})
export class OutboxModule {}
