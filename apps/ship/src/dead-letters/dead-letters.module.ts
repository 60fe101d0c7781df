import { Module } from '@nestjs/common';
import { DeadLettersService } from './dead-letters.service';

@Module({
  providers: [DeadLettersService],
  exports: [DeadLettersService],
})
export class DeadLettersModule {}
