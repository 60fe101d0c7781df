import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { RecordedOutcomesModule } from '../ingest/recorded-outcomes.module';
import { ConflictRecorder } from './conflict-recorder';
import { ConflictsController } from './conflicts.controller';
import { ConflictsService } from './conflicts.service';

@Module({
  imports: [DocumentsModule, RecordedOutcomesModule],
  controllers: [ConflictsController],
  providers: [ConflictRecorder, ConflictsService],
  exports: [ConflictRecorder],
})
export class ConflictsModule {}
