import { Module } from '@nestjs/common';
import { DEAD_LETTER_SINK } from '@offline-sync/sync-core';
import { CountedDeadLetterSink } from './counted-dead-letter.sink';
import { DeadLetterReplayers } from './dead-letter-replayers';
import { DeadLetterRetrier } from './dead-letter-retrier';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';

@Module({
  controllers: [DeadLettersController],
  providers: [
    DeadLettersService,
    DeadLetterReplayers,
    DeadLetterRetrier,
    { provide: DEAD_LETTER_SINK, useClass: CountedDeadLetterSink },
  ],
  exports: [DeadLettersService, DeadLetterReplayers, DEAD_LETTER_SINK],
})
export class DeadLettersModule {}
