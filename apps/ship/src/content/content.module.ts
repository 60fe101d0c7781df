import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { RelayModule } from '../relay/relay.module';
import { ContentController } from './content.controller';
import { ContentWriter } from './content-writer';
import { ContentService } from './content.service';
import { GroupCommitService } from './group-commit.service';

@Module({
  imports: [OutboxModule, RelayModule],
  controllers: [ContentController],
  providers: [ContentService, ContentWriter, GroupCommitService],
})
export class ContentModule {}
