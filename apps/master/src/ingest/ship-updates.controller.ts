import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { KafkaBatchContext, SyncTopic } from '@offline-sync/sync-core';
import { ShipUpdatesBatchDto } from './dto/ship-updates-batch.dto';
import { IngestService } from './ingest.service';

@Controller()
export class ShipUpdatesController {
  constructor(private readonly ingest: IngestService) {}

  /** A whole batch of one partition; the transport commits its offsets after this returns. */
  @EventPattern(SyncTopic.ShipUpdates)
  async onShipUpdates(
    @Payload() batch: ShipUpdatesBatchDto,
    @Ctx() context: KafkaBatchContext,
  ): Promise<void> {
    await this.ingest.ingestBatch(batch.messages, {
      topic: context.getTopic(),
      partition: context.getPartition(),
    });
  }
}
