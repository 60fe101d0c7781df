import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { OutboxModule } from '../outbox/outbox.module';
import { RelayModule } from '../relay/relay.module';
import { BulkContentController } from './bulk-content.controller';
import { ContentController } from './content.controller';
import { ContentWriter } from './content-writer';
import { ContentService } from './content.service';
import { GroupCommitService } from './group-commit.service';

@Module({
  imports: [DocumentsModule, OutboxModule, RelayModule],
  // The bulk route first: `content/_bulk` would otherwise match `content/:type`.
  controllers: [BulkContentController, ContentController],
  providers: [ContentService, ContentWriter, GroupCommitService],
})
export class ContentModule {}
