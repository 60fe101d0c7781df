import { Module } from '@nestjs/common';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { IngestService } from './ingest.service';
import { ShipUpdatesController } from './ship-updates.controller';

@Module({
  imports: [DeadLettersModule],
  controllers: [ShipUpdatesController],
  providers: [IngestService],
})
export class IngestModule {}
