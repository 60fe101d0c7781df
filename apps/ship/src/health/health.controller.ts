import { Controller, Get } from '@nestjs/common';
import { Public } from '@offline-sync/sync-core';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';

/** Open without a key: probes and load balancers do not hold API keys. */
@Public()
@Controller('offline-sync/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  /** Liveness: the process answers. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Readiness: the local database answers. The satellite link is deliberately not part of it:
   * an offline ship still serves its crew, so readiness must not flap with the link.
   */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]);
  }

  @Get()
  @HealthCheck()
  detail(): Promise<HealthCheckResult> {
    return this.ready();
  }
}
