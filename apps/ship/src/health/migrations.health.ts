import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ShipConnection } from '../core/database/ship-connection';
import { pendingShipMigrations } from '../core/database/ship-migrations';
import { errorMessage } from '@offline-sync/sync-core';

/** Every migration the build knows has run on this database. */
@Injectable()
export class MigrationsHealthIndicator {
  /** Once applied, migrations cannot become pending again in this process: ask only until then. */
  private applied = false;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly connection: ShipConnection,
  ) {}

  async check(key = 'migrations'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    if (this.applied) return session.up();
    try {
      if ((await pendingShipMigrations(this.connection)).length > 0) {
        return session.down({ message: 'pending' });
      }
      this.applied = true;
      return session.up();
    } catch (error) {
      return session.down({ message: errorMessage(error) });
    }
  }
}
