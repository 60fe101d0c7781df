import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { RevisionsModule } from '../revisions/revisions.module';
import { DocumentStore } from './document-store';
import { VersionWriter } from './version-writer';

@Module({
  imports: [RevisionsModule, OutboxModule],
  providers: [DocumentStore, VersionWriter],
  exports: [DocumentStore, VersionWriter, RevisionsModule, OutboxModule],
})
export class DocumentsModule {}
