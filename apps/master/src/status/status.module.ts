import { Module } from '@nestjs/common';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { RegistryModule } from '../registry/registry.module';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';
import { SyncStateMetrics } from './sync-state.metrics';

@Module({
  imports: [RegistryModule, DeadLettersModule],
  controllers: [StatusController],
  providers: [StatusService, SyncStateMetrics],
})
export class StatusModule {}
