import { Module } from '@nestjs/common';
import { RecordedOutcomes } from './recorded-outcomes';

/**
 * The ingest's change_outcomes table on its own, so that conflict resolution, which the ingest
 * itself depends on, can settle the outcomes a conflict held through their owner.
 */
@Module({
  providers: [RecordedOutcomes],
  exports: [RecordedOutcomes],
})
export class RecordedOutcomesModule {}
