import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EnvelopeBatchDto, KafkaBatchContext, SyncTopic } from '@offline-sync/sync-core';
import { IngestService } from './ingest.service';

@Controller()
export class ShipUpdatesController {
  constructor(private readonly ingest: IngestService) {}

  /** A slice of a fetch from one partition; the transport commits its offsets after this returns. */
  @EventPattern(SyncTopic.ShipUpdates)
  async onShipUpdates(
    @Payload() batch: EnvelopeBatchDto,
    @Ctx() context: KafkaBatchContext,
  ): Promise<void> {
    await this.ingest.ingestBatch(batch.messages, {
      topic: context.getTopic(),
      partition: context.getPartition(),
    });
  }
}
