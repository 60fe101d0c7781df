import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EnvelopeBatchDto, KafkaBatchContext, SyncTopic } from '@offline-sync/sync-core';
import { ShipRegistryService } from './ship-registry.service';

/** Heartbeats have their own topic and handler, so they never wait behind a data backlog. */
@Controller()
export class HeartbeatsController {
  constructor(private readonly registry: ShipRegistryService) {}

  @EventPattern(SyncTopic.Heartbeats)
  async onHeartbeats(
    @Payload() batch: EnvelopeBatchDto,
    @Ctx() context: KafkaBatchContext,
  ): Promise<void> {
    await this.registry.record(batch.messages, {
      topic: context.getTopic(),
      partition: context.getPartition(),
    });
  }
}
