import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EnvelopeBatchDto, KafkaBatchContext, SyncTopic } from '@offline-sync/sync-core';
import { OutcomesService } from './outcomes.service';

@Controller()
export class ChangeOutcomesController {
  constructor(private readonly outcomes: OutcomesService) {}

  @EventPattern(SyncTopic.ChangeOutcomes)
  async onOutcomes(
    @Payload() batch: EnvelopeBatchDto,
    @Ctx() context: KafkaBatchContext,
  ): Promise<void> {
    await this.outcomes.applyBatch(batch, context.getTopic(), context.getPartition());
  }
}
