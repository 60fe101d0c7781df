import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { MigrationsRunner } from '../core/database/migrations.runner';

@Injectable()
export class MigrationsHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly migrations: MigrationsRunner,
  ) {}

  check(key = 'migrations'): HealthIndicatorResult {
    const session = this.indicator.check(key);
    return this.migrations.isUpToDate()
      ? session.up()
      : session.down({ message: 'database schema has pending migrations' });
  }
}
