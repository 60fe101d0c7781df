import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module';
import { OutboxModule } from '../outbox/outbox.module';
import { HeartbeatService } from './heartbeat.service';

@Module({
  imports: [OutboxModule, InboxModule],
  providers: [HeartbeatService],
  exports: [HeartbeatService],
})
export class HeartbeatModule {}
