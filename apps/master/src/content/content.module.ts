import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { ContentTypesController } from './content-types.controller';
import { ContentController } from './content.controller';
import { ContentService } from './content.service';

@Module({
  imports: [DocumentsModule],
  controllers: [ContentController, ContentTypesController],
  providers: [ContentService],
})
export class ContentModule {}
