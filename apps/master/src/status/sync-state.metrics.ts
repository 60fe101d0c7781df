import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MasterMetric } from '../metrics/master-metrics';
import { readAtScrape } from '../metrics/scrape-readers';

const DEAD_LETTER_STATUSES = ['pending', 'retrying', 'exhausted', 'resolved'];

/**
 * Gauges read from the database at scrape time, so every replica reports the same truth: dead
 * letters by status (seed name), open conflicts by content type, the outbox backlog.
 */
@Injectable()
export class SyncStateMetrics implements OnApplicationShutdown {
  private readonly unregister: Array<() => void>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @InjectMetric(MasterMetric.DeadLetters) deadLetters: Gauge<string>,
    @InjectMetric(MasterMetric.ConflictsOpen) conflicts: Gauge<string>,
    @InjectMetric(MasterMetric.OutboxDepth) outboxDepth: Gauge<string>,
  ) {
    this.unregister = [
      readAtScrape(deadLetters, async () => {
        const rows = await dataSource.query<Array<{ status: string; n: number }>>(
          `SELECT s.status, count(d.id)::int AS n
             FROM unnest($1::text[]) AS s(status)
             LEFT JOIN dead_letters d ON d.status = s.status GROUP BY s.status`,
          [DEAD_LETTER_STATUSES],
        );
        for (const row of rows) deadLetters.set({ status: row.status }, row.n);
      }),
      readAtScrape(conflicts, async () => {
        const rows = await dataSource.query<Array<{ type: string; n: number }>>(
          `SELECT type, count(*)::int AS n FROM conflicts WHERE status = 'open' GROUP BY type`,
        );
        conflicts.reset();
        for (const row of rows) conflicts.set({ type: row.type }, row.n);
      }),
      readAtScrape(outboxDepth, async () => {
        const [row] = await dataSource.query<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`,
        );
        outboxDepth.set(row.n);
      }),
    ];
  }

  onApplicationShutdown(): void {
    for (const unregister of this.unregister) unregister();
  }
}
