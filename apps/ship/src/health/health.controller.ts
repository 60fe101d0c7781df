import { Controller, Get, UseFilters } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheckResponse, Public } from '@offline-sync/sync-core';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { ShutdownState } from '../core/shutdown/shutdown-state';
import { DatabaseHealthIndicator } from './database.health';
import { HealthCheckFailureFilter } from './health-check-failure.filter';
import { InboundHoldHealthIndicator } from './inbound-hold.health';
import { LinkHealthIndicator } from './link.health';
import { MigrationsHealthIndicator } from './migrations.health';
import { StorageHealthIndicator } from './storage.health';
import { SyncBacklogHealthIndicator } from './sync-backlog.health';

/** How long the database may take to answer a probe's ping. */
const DATABASE_PING_TIMEOUT_MS = 2000;

/**
 * Liveness and readiness are open without a key (probes and load balancers do not hold API
 * keys); the detail needs a viewer key.
 */
@UseFilters(HealthCheckFailureFilter)
@ApiTags('health')
@Controller('offline-sync/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
    private readonly storage: StorageHealthIndicator,
    private readonly link: LinkHealthIndicator,
    private readonly backlog: SyncBacklogHealthIndicator,
    private readonly holds: InboundHoldHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: HealthCheckResponse, description: 'Every check is up' })
  @ApiServiceUnavailableResponse({ type: HealthCheckResponse, description: 'A check is down' })
  @HealthCheck({ swaggerDocumentation: false })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Readiness: the local database answers, takes writes (it is not full) and its migrations have
   * run, and the process is not shutting down. The satellite link is deliberately not part of
   * it: an offline ship still serves its crew, so readiness must not flap with the link. Inbound
   * partitions held at a message the ship cannot verify are listed, without failing it, for the
   * same reason.
   */
  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the local database answers, has room and is migrated' })
  @ApiOkResponse({ type: HealthCheckResponse, description: 'Every check is up' })
  @ApiServiceUnavailableResponse({ type: HealthCheckResponse, description: 'A check is down' })
  @HealthCheck({ swaggerDocumentation: false })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      ...this.readiness(),
      () => this.holds.check('inboundHold', { downWhenHeld: false }),
    ]);
  }

  /**
   * Detail for operators: readiness plus the link, the outbox backlog, inbound position, last
   * sync, and any inbound hold (down: it needs the ship reconfigured).
   */
  @Get()
  @ApiOperation({ summary: 'Readiness plus the link, backlog, inbound position and holds' })
  @ApiOkResponse({ type: HealthCheckResponse, description: 'Every check is up' })
  @ApiServiceUnavailableResponse({ type: HealthCheckResponse, description: 'A check is down' })
  @HealthCheck({ swaggerDocumentation: false })
  detail(): Promise<HealthCheckResult> {
    return this.health.check([
      ...this.readiness(),
      () => this.link.check('kafka'),
      () => this.backlog.check(),
      () => this.holds.check('inboundHold', { downWhenHeld: true }),
    ]);
  }

  private readiness(): (() => Promise<HealthIndicatorResult> | HealthIndicatorResult)[] {
    return [
      () => this.database.pingCheck('database', { timeout: DATABASE_PING_TIMEOUT_MS }),
      () => this.storage.check('storage'),
      () => this.migrations.check('migrations'),
      () => {
        const session = this.indicators.check('shutdown');
        return this.shutdown.draining
          ? session.down({ message: 'draining', since: this.shutdown.since })
          : session.up();
      },
    ];
  }
}
