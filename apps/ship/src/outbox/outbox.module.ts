import { Module } from '@nestjs/common';
import { OutboxChangesRepository } from './outbox-changes.repository';

/** The transactional outbox: the one owner of the `sync_queue` table. */
@Module({
  providers: [OutboxChangesRepository],
  exports: [OutboxChangesRepository],
})
export class OutboxModule {}
