import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { RelayModule } from '../relay/relay.module';
import { ContentController } from './content.controller';
import { ContentService } from './content.service';

@Module({
  imports: [OutboxModule, RelayModule],
  controllers: [ContentController],
  providers: [ContentService],
})
export class ContentModule {}
