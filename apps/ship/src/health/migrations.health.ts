import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Every migration the build knows has run on this database. */
@Injectable()
export class MigrationsHealthIndicator {
  /** Once applied, migrations cannot become pending again in this process: ask only until then. */
  private applied = false;

  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async check(key = 'migrations'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    if (this.applied) return session.up();
    try {
      if (await this.dataSource.showMigrations()) return session.down({ message: 'pending' });
      this.applied = true;
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
