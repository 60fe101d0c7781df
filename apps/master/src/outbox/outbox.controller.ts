import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PaginationQueryDto, RequireRole } from '@offline-sync/sync-core';
import {
  OutboxKindCountsResponse,
  OutboxPendingPageResponse,
  OutboxSummaryResponse,
  PushAcceptedResponse,
} from './dto/outbox.response';
import { OutboxQueueService, type OutboxSummary, type PendingPage } from './outbox-queue.service';
import { OutboxRelay } from './outbox-relay';

/** The seed's queue endpoints, over the master outbox. */
@ApiTags('sync')
@ApiExtraModels(OutboxKindCountsResponse)
@Controller('offline-sync')
export class OutboxController {
  constructor(
    private readonly queue: OutboxQueueService,
    private readonly relay: OutboxRelay,
  ) {}

  @Get('queue')
  @ApiOperation({ summary: 'Counts of the master outbox (what the master owes Kafka)' })
  @ApiOkResponse({ type: OutboxSummaryResponse })
  summary(): Promise<OutboxSummary> {
    return this.queue.summary();
  }

  @Get('queue/pending')
  @ApiOperation({ summary: 'Outbox rows not yet published, oldest first' })
  @ApiOkResponse({ type: OutboxPendingPageResponse })
  pending(@Query() query: PaginationQueryDto): Promise<PendingPage> {
    return this.queue.pending(query.page, query.pageSize);
  }

  /** Publishes pending rows now instead of at the next poll or backoff (admin). */
  @Post('push')
  @HttpCode(202)
  @ApiOperation({ summary: 'Publishes pending outbox rows now, not at the next poll or backoff' })
  @ApiAcceptedResponse({ type: PushAcceptedResponse })
  @RequireRole('admin')
  push(): { accepted: true } {
    this.relay.retryNow();
    return { accepted: true };
  }
}
