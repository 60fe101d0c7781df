import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

/** An outbox row this old means the relay cannot reach Kafka (or is stuck): worth an alert. */
const STALE_AFTER_MS = 5 * 60_000;

@Injectable()
export class OutboxHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async check(key = 'outbox'): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    const [row] = await this.dataSource.query<Array<{ pending: number; oldest_ms: string | null }>>(
      `SELECT count(*)::int AS pending,
              (extract(epoch FROM now() - min(created_at)) * 1000)::bigint AS oldest_ms
         FROM outbox WHERE status = 'pending'`,
    );
    const oldest = row.oldest_ms === null ? null : Number(row.oldest_ms);
    const details = { pending: row.pending, oldestPendingAgeMs: oldest };
    return oldest !== null && oldest > STALE_AFTER_MS
      ? session.down({ ...details, message: 'outbox rows are not being published' })
      : session.up(details);
  }
}
