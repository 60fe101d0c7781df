import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { InboxModule } from '../inbox/inbox.module';
import { SyncStatusModule } from '../sync-status/sync-status.module';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { InboundHoldHealthIndicator } from './inbound-hold.health';
import { LinkHealthIndicator } from './link.health';
import { MigrationsHealthIndicator } from './migrations.health';
import { StorageHealthIndicator } from './storage.health';
import { SyncBacklogHealthIndicator } from './sync-backlog.health';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), SyncStatusModule, InboxModule],
  controllers: [HealthController],
  providers: [
    DatabaseHealthIndicator,
    MigrationsHealthIndicator,
    LinkHealthIndicator,
    SyncBacklogHealthIndicator,
    InboundHoldHealthIndicator,
    StorageHealthIndicator,
  ],
})
export class HealthModule {}
