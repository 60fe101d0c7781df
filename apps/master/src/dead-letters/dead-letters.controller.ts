import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { RequireRole } from '@offline-sync/sync-core';
import { DeadLettersService, type DeadLetterPage } from './dead-letters.service';
import { DeadLetterQueryDto } from './dto/dead-letter-query.dto';
import type { DeadLetter } from './entities/dead-letter.entity';

/** Raw messages of any ship, kept for triage: operator work, reads included. */
@RequireRole('operator')
@Controller('offline-sync/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  list(@Query() query: DeadLetterQueryDto): Promise<DeadLetterPage> {
    return this.deadLetters.list(query);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DeadLetter> {
    return this.deadLetters.get(id);
  }

  /** Re-runs the stored message through the same consumer now; answers with its new state. */
  @Post(':id/retry')
  @HttpCode(200)
  @RequireRole('operator')
  retry(@Param('id', ParseUUIDPipe) id: string): Promise<DeadLetter> {
    return this.deadLetters.retryNow(id);
  }
}
