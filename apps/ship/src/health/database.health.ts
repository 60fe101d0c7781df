import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ShipDatabase } from '../core/database/ship-database.service';

/** Whether the database answers a trivial statement within `timeoutMs`. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly db: ShipDatabase,
  ) {}

  async pingCheck(key: string, { timeout }: { timeout: number }): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeout);
    });
    try {
      if ((await Promise.race([this.db.ping(), late])) === 'late') {
        return session.down(`timeout of ${timeout}ms exceeded`);
      }
      return session.up();
    } catch {
      return session.down();
    } finally {
      clearTimeout(timer);
    }
  }
}
