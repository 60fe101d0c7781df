import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { ContentController } from './content.controller';
import { ContentService } from './content.service';

@Module({
  imports: [DocumentsModule],
  controllers: [ContentController],
  providers: [ContentService],
})
export class ContentModule {}
