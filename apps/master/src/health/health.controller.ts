import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import {
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheckResponse, Public } from '@offline-sync/sync-core';
import type { Response } from 'express';
import { ConsumerLagHealthIndicator } from './consumer-lag.health-indicator';
import { KafkaHealthIndicator } from './kafka.health-indicator';
import { MigrationsHealthIndicator } from './migrations.health-indicator';
import { OutboxHealthIndicator } from './outbox.health-indicator';
import { ShipsSyncHealthIndicator } from './ships-sync.health-indicator';

/**
 * Liveness and readiness are open without a key (probes and load balancers must reach them);
 * the detail names every ship and its state, so it needs a viewer key.
 */
@ApiTags('health')
@Controller('offline-sync/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly outbox: OutboxHealthIndicator,
    private readonly consumerLag: ConsumerLagHealthIndicator,
    private readonly ships: ShipsSyncHealthIndicator,
  ) {}

  /** Liveness: the process answers. Nothing external, so a broken dependency never restarts it. */
  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: HealthCheckResponse, description: 'Every check is up' })
  @ApiServiceUnavailableResponse({ type: HealthCheckResponse, description: 'A check is down' })
  @HealthCheck({ swaggerDocumentation: false })
  live(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.check(res, []);
  }

  /** Readiness: the database answers with a current schema, and Kafka answers. */
  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database (current schema) and Kafka answer' })
  @ApiOkResponse({ type: HealthCheckResponse, description: 'Every check is up' })
  @ApiServiceUnavailableResponse({ type: HealthCheckResponse, description: 'A check is down' })
  @HealthCheck({ swaggerDocumentation: false })
  ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.check(res, [
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.migrations.check(),
      () => this.kafka.check(),
    ]);
  }

  /**
   * Everything: readiness plus the outbox backlog, the consumer group's lag and when each ship
   * last synced (none of these is a reason to stop traffic).
   */
  @Get()
  @ApiOperation({ summary: 'Readiness plus outbox backlog, consumer lag and ship sync' })
  @ApiOkResponse({ type: HealthCheckResponse, description: 'Every check is up' })
  @ApiServiceUnavailableResponse({ type: HealthCheckResponse, description: 'A check is down' })
  @HealthCheck({ swaggerDocumentation: false })
  detail(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.check(res, [
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.migrations.check(),
      () => this.kafka.check(),
      () => this.outbox.check(),
      () => this.consumerLag.check(),
      () => this.ships.check(),
    ]);
  }

  /**
   * Terminus's own body also when a check is down (503: `status`, `info`, `error`, `details`), as
   * probes and operators expect it, rather than the API's generic error body.
   */
  private async check(
    res: Response,
    checks: HealthIndicatorFunction[],
  ): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
