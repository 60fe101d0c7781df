import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { OutcomeReaskService } from './outcome-reask.service';
import { RelayService } from './relay.service';

@Module({
  imports: [OutboxModule],
  providers: [RelayService, OutcomeReaskService],
  exports: [RelayService],
})
export class RelayModule {}
