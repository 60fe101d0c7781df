import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Principal, RequireRole, assertRole, type ApiPrincipal } from '@offline-sync/sync-core';
import { ConnectivityService } from '../connectivity/connectivity.service';
import { ShipDatabase } from '../core/database/ship-database.service';
import { InboxCatchUpService, type CatchUpResult } from '../inbox/inbox-catch-up.service';
import { AWAITING_MASTER_STATUSES } from '../outbox/sync-queue.table';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { queuePage, type QueuePage } from '../outbox/outbox-change.view';
import { RelayService } from '../relay/relay.service';
import { PaginationQueryDto } from '@offline-sync/sync-core';
import { PullDto } from './dto/pull.dto';
import { PushDto } from './dto/push.dto';
import { QueuePageResponse } from '../outbox/dto/outbox-change.response';
import {
  PullResponse,
  PushStartedResponse,
  ShipSyncStatusResponse,
} from './dto/sync-status.response';
import { QueueQueryDto } from './dto/queue-query.dto';
import { SyncStatusService, type ShipSyncStatus } from './sync-status.service';

/** The seed's sync endpoints, on the ship. */
@ApiTags('sync')
@Controller('offline-sync')
export class SyncStatusController {
  constructor(
    private readonly status: SyncStatusService,
    private readonly db: ShipDatabase,
    private readonly outbox: OutboxChangesRepository,
    private readonly relay: RelayService,
    private readonly connectivity: ConnectivityService,
    private readonly catchUp: InboxCatchUpService,
  ) {}

  @Get('status')
  @ApiOperation({ summary: 'The ship at a glance: link, queue, inbound position, database' })
  @ApiOkResponse({ type: ShipSyncStatusResponse })
  getStatus(): Promise<ShipSyncStatus> {
    return this.status.status();
  }

  /** Every queue row, oldest first, optionally of one status. */
  @Get('queue')
  @ApiOperation({ summary: 'Every queue row, oldest first, optionally of one status' })
  @ApiOkResponse({ type: QueuePageResponse })
  async queue(@Query() query: QueueQueryDto): Promise<QueuePage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const statuses = query.status ? [query.status] : undefined;
    const rows = await this.db.read((db) => this.outbox.list(db, statuses, page, pageSize));
    return queuePage(rows, page, pageSize);
  }

  /** Changes the master has not decided on yet: queued, sending, sent, or failed (to retry). */
  @Get('queue/pending')
  @ApiOperation({ summary: 'Changes the master has not decided on yet' })
  @ApiOkResponse({ type: QueuePageResponse })
  async pending(@Query() query: PaginationQueryDto): Promise<QueuePage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const rows = await this.db.read((db) =>
      this.outbox.list(db, AWAITING_MASTER_STATUSES, page, pageSize),
    );
    return queuePage(rows, page, pageSize);
  }

  /** Sends the queue now, failed rows included (when the link is up; it is checked first). */
  @Post('push')
  @HttpCode(202)
  @ApiOperation({ summary: 'Sends the queue now, failed rows included, when the link is up' })
  @ApiAcceptedResponse({ type: PushStartedResponse })
  @ApiBody({ type: PushDto, required: false })
  @RequireRole('admin')
  async push(@Body() body: PushDto): Promise<{ online: boolean; started: boolean }> {
    const link = await this.connectivity.checkNow();
    const online = link.state === 'online';
    if (online) void this.relay.flush({ retryFailed: body.retryFailed ?? true });
    return { online, started: online };
  }

  /** Catches up on master updates now; from the beginning (a full re-download) needs admin. */
  @Post('pull')
  @HttpCode(202)
  @ApiOperation({ summary: 'Catches up on master updates now' })
  @ApiAcceptedResponse({ type: PullResponse })
  @ApiBody({ type: PullDto, required: false })
  @RequireRole('operator')
  async pull(
    @Body() body: PullDto,
    @Principal() principal: ApiPrincipal,
  ): Promise<CatchUpResult & { online: boolean }> {
    if (body.from === 'beginning') assertRole(principal, 'admin', 'A pull from the beginning');
    const link = await this.connectivity.checkNow();
    const result = await this.catchUp.catchUp(body.from ?? 'stored');
    return { online: link.state === 'online', ...result };
  }
}
