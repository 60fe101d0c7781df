import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EnvelopeBatchDto, KafkaBatchContext, SyncTopic } from '@offline-sync/sync-core';
import { InboxService } from './inbox.service';

@Controller()
export class MasterUpdatesController {
  constructor(private readonly inbox: InboxService) {}

  @EventPattern(SyncTopic.MasterUpdates)
  async onMasterUpdates(
    @Payload() batch: EnvelopeBatchDto,
    @Ctx() context: KafkaBatchContext,
  ): Promise<void> {
    await this.inbox.applyBatch(batch, context.getTopic(), context.getPartition());
  }
}
