import { Module } from '@nestjs/common';
import { DeadLettersRepository } from './dead-letters.repository';
import { DeadLettersService } from './dead-letters.service';

/** Messages the ship received and did not apply: the one owner of the `dead_letters` table. */
@Module({
  providers: [DeadLettersService, DeadLettersRepository],
  exports: [DeadLettersService, DeadLettersRepository],
})
export class DeadLettersModule {}
