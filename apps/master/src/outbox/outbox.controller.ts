import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { PaginationQueryDto, RequireRole } from '@offline-sync/sync-core';
import { OutboxQueueService, type OutboxSummary, type PendingPage } from './outbox-queue.service';
import { OutboxRelay } from './outbox-relay';

/** The seed's queue endpoints, over the master outbox. */
@Controller('offline-sync')
export class OutboxController {
  constructor(
    private readonly queue: OutboxQueueService,
    private readonly relay: OutboxRelay,
  ) {}

  @Get('queue')
  summary(): Promise<OutboxSummary> {
    return this.queue.summary();
  }

  @Get('queue/pending')
  pending(@Query() query: PaginationQueryDto): Promise<PendingPage> {
    return this.queue.pending(query.page, query.pageSize);
  }

  /** Publishes pending rows now instead of at the next poll or backoff (admin). */
  @Post('push')
  @HttpCode(202)
  @RequireRole('admin')
  push(): { accepted: true } {
    this.relay.retryNow();
    return { accepted: true };
  }
}
