import { Module } from '@nestjs/common';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { DocumentsModule } from '../documents/documents.module';
import { RegistryModule } from '../registry/registry.module';
import { IngestService } from './ingest.service';
import { IngestMetrics } from './ingest.metrics';
import { RecordedOutcomesModule } from './recorded-outcomes.module';
import { ShipUpdatesController } from './ship-updates.controller';
import { ShipUpdatesReplayer } from './ship-updates.replayer';

@Module({
  imports: [
    DeadLettersModule,
    DocumentsModule,
    ConflictsModule,
    RecordedOutcomesModule,
    RegistryModule,
  ],
  controllers: [ShipUpdatesController],
  providers: [IngestService, IngestMetrics, ShipUpdatesReplayer],
  exports: [RecordedOutcomesModule],
})
export class IngestModule {}
