import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { KafkaBatchContext, SyncTopic } from '@offline-sync/sync-core';
import { ShipUpdatesBatchDto } from './dto/ship-updates-batch.dto';
import { IngestService } from './ingest.service';

@Controller()
export class ShipUpdatesController {
  constructor(private readonly ingest: IngestService) {}

  @EventPattern(SyncTopic.ShipUpdates)
  async onShipUpdates(
    @Payload() batch: ShipUpdatesBatchDto,
    @Ctx() context: KafkaBatchContext,
  ): Promise<void> {
    await this.ingest.ingestBatch(batch, context.getTopic(), context.getPartition());
  }
}
