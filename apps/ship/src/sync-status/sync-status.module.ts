import { Module } from '@nestjs/common';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { DocumentsModule } from '../documents/documents.module';
import { HeartbeatModule } from '../heartbeat/heartbeat.module';
import { InboxModule } from '../inbox/inbox.module';
import { OutboxModule } from '../outbox/outbox.module';
import { RelayModule } from '../relay/relay.module';
import { SyncStatusController } from './sync-status.controller';
import { SyncStatusService } from './sync-status.service';

@Module({
  imports: [
    OutboxModule,
    RelayModule,
    InboxModule,
    HeartbeatModule,
    DeadLettersModule,
    DocumentsModule,
  ],
  controllers: [SyncStatusController],
  providers: [SyncStatusService],
  exports: [SyncStatusService],
})
export class SyncStatusModule {}
