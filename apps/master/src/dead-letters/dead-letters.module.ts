import { Module } from '@nestjs/common';
import { DEAD_LETTER_SINK } from '@offline-sync/sync-core';
import { DeadLettersService } from './dead-letters.service';

@Module({
  providers: [DeadLettersService, { provide: DEAD_LETTER_SINK, useExisting: DeadLettersService }],
  exports: [DeadLettersService, DEAD_LETTER_SINK],
})
export class DeadLettersModule {}
