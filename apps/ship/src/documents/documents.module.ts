import { Module } from '@nestjs/common';
import { DocumentsRepository } from './documents.repository';

/** The ship's copies of the documents: the one owner of the `documents` table. */
@Module({
  providers: [DocumentsRepository],
  exports: [DocumentsRepository],
})
export class DocumentsModule {}
