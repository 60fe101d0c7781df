import { Module } from '@nestjs/common';
import { ShipRetention } from './ship-retention.service';

/** The periodic purge of settled sync history (docs/protocol.md, "Retention"). */
@Module({
  providers: [ShipRetention],
  exports: [ShipRetention],
})
export class RetentionModule {}
