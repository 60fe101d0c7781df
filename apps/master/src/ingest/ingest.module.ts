import { Module } from '@nestjs/common';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { DocumentsModule } from '../documents/documents.module';
import { IngestService } from './ingest.service';
import { IngestMetrics } from './ingest.metrics';
import { RecordedOutcomes } from './recorded-outcomes';
import { ShipUpdatesController } from './ship-updates.controller';
import { ShipUpdatesReplayer } from './ship-updates.replayer';

@Module({
  imports: [DeadLettersModule, DocumentsModule, ConflictsModule],
  controllers: [ShipUpdatesController],
  providers: [IngestService, IngestMetrics, RecordedOutcomes, ShipUpdatesReplayer],
  exports: [RecordedOutcomes],
})
export class IngestModule {}
