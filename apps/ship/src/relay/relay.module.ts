import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { RelayService } from './relay.service';

@Module({
  imports: [OutboxModule],
  providers: [RelayService],
  exports: [RelayService],
})
export class RelayModule {}
