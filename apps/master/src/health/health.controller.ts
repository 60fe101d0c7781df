import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Public } from '@offline-sync/sync-core';
import { MigrationsHealthIndicator } from './migrations.health-indicator';
import { OutboxHealthIndicator } from './outbox.health-indicator';

/** Open without a key: probes and load balancers must reach it. */
@Public()
@Controller('offline-sync/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
    private readonly outbox: OutboxHealthIndicator,
  ) {}

  /** Liveness: the process answers. Nothing external, so a broken dependency never restarts it. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Readiness: the database answers and its schema is current. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.migrations.check(),
    ]);
  }

  /** Everything, including the outbox backlog (not part of readiness: a backlog is no reason to stop traffic). */
  @Get()
  @HealthCheck()
  detail(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.migrations.check(),
      () => this.outbox.check(),
    ]);
  }
}
