import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Public } from '@offline-sync/sync-core';
import { ConsumerLagHealthIndicator } from './consumer-lag.health-indicator';
import { KafkaHealthIndicator } from './kafka.health-indicator';
import { MigrationsHealthIndicator } from './migrations.health-indicator';
import { OutboxHealthIndicator } from './outbox.health-indicator';
import { ShipsSyncHealthIndicator } from './ships-sync.health-indicator';

/** Open without a key: probes and load balancers must reach it. */
@Public()
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
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Readiness: the database answers with a current schema, and Kafka answers. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
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
  @HealthCheck()
  detail(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.migrations.check(),
      () => this.kafka.check(),
      () => this.outbox.check(),
      () => this.consumerLag.check(),
      () => this.ships.check(),
    ]);
  }
}
