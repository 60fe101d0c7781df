import { Module } from '@nestjs/common';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { OutboxModule } from '../outbox/outbox.module';
import { RelayModule } from '../relay/relay.module';
import { ShipRetention } from './ship-retention.service';

/** The periodic purge of settled sync history (docs/protocol.md, "Retention"). */
@Module({
  imports: [OutboxModule, RelayModule, DeadLettersModule],
  providers: [ShipRetention],
  exports: [ShipRetention],
})
export class RetentionModule {}
