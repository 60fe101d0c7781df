import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { KafkaBatchContext, SyncTopic } from '@offline-sync/sync-core';
import { EnvelopeBatchDto } from '../core/kafka/envelope-batch.dto';
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
