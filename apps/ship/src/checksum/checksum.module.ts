import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { ChecksumController } from './checksum.controller';
import { ChecksumService } from './checksum.service';

@Module({
  imports: [DocumentsModule],
  controllers: [ChecksumController],
  providers: [ChecksumService],
})
export class ChecksumModule {}
