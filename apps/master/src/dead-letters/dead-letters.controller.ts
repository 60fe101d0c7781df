import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponse, RequireRole } from '@offline-sync/sync-core';
import { DeadLettersService, type DeadLetterPage } from './dead-letters.service';
import { DeadLetterQueryDto } from './dto/dead-letter-query.dto';
import { DeadLetterPageResponse, DeadLetterResponse } from './dto/dead-letter.response';
import type { DeadLetter } from './entities/dead-letter.entity';

@ApiTags('dead-letters')
/** Raw messages of any ship, kept for triage: operator work, reads included. */
@RequireRole('operator')
@Controller('offline-sync/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOperation({ summary: 'Messages that could not be applied or sent, with why' })
  @ApiOkResponse({ type: DeadLetterPageResponse })
  list(@Query() query: DeadLetterQueryDto): Promise<DeadLetterPage> {
    return this.deadLetters.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One dead letter' })
  @ApiOkResponse({ type: DeadLetterResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such dead letter' })
  @ApiParam({ name: 'id', format: 'uuid' })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DeadLetter> {
    return this.deadLetters.get(id);
  }

  /** Re-runs the stored message through the same consumer now; answers with its new state. */
  @Post(':id/retry')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Re-runs the stored message now; answers with its new state' })
  @ApiOkResponse({ type: DeadLetterResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such dead letter' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Already resolved' })
  retry(@Param('id', ParseUUIDPipe) id: string): Promise<DeadLetter> {
    return this.deadLetters.retryNow(id);
  }
}
