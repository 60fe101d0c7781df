import { Module } from '@nestjs/common';
import { MasterRetention } from './master-retention.service';

/** The periodic purge of settled sync history (docs/protocol.md, "Retention"). */
@Module({
  providers: [MasterRetention],
  exports: [MasterRetention],
})
export class RetentionModule {}
