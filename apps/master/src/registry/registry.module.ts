import { Module } from '@nestjs/common';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { HeartbeatsController } from './heartbeats.controller';
import { HeartbeatsReplayer } from './heartbeats.replayer';
import { MasterUpdatesWatermarks } from './master-updates-watermarks';
import { OfflineSweep } from './offline-sweep';
import { RegistryMetrics } from './registry.metrics';
import { ShipRegistryService } from './ship-registry.service';
import { ShipsController } from './ships.controller';

@Module({
  imports: [DeadLettersModule],
  controllers: [HeartbeatsController, ShipsController],
  providers: [
    ShipRegistryService,
    MasterUpdatesWatermarks,
    OfflineSweep,
    HeartbeatsReplayer,
    RegistryMetrics,
  ],
  exports: [ShipRegistryService, OfflineSweep],
})
export class RegistryModule {}
