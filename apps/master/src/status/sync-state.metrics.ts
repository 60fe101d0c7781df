import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '../metrics/metrics.registry';

/**
 * Gauges read from the database at scrape time, so every replica reports the same truth:
 * dead letters by status (seed name), open conflicts, outbox backlog, per-ship lag inputs.
 */
@Injectable()
export class SyncStateMetrics {
  constructor(registry: MetricsRegistry, @InjectDataSource() dataSource: DataSource) {
    new Gauge({
      name: 'offline_sync_dead_letter_total',
      help: 'Dead letters by status',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const rows = await dataSource.query<Array<{ status: string; n: number }>>(
          `SELECT s.status, count(d.id)::int AS n
             FROM unnest(ARRAY['pending', 'retrying', 'exhausted', 'resolved']) AS s(status)
             LEFT JOIN dead_letters d ON d.status = s.status GROUP BY s.status`,
        );
        for (const row of rows) this.set({ status: row.status }, row.n);
      },
    });
    new Gauge({
      name: 'offline_sync_conflicts_open',
      help: 'Conflicts waiting for an operator',
      labelNames: ['type'],
      registers: [registry],
      async collect() {
        const rows = await dataSource.query<Array<{ type: string; n: number }>>(
          `SELECT type, count(*)::int AS n FROM conflicts WHERE status = 'open' GROUP BY type`,
        );
        this.reset();
        for (const row of rows) this.set({ type: row.type }, row.n);
      },
    });
    new Gauge({
      name: 'offline_sync_outbox_pending',
      help: 'Master outbox rows not yet acknowledged by Kafka',
      registers: [registry],
      async collect() {
        const [row] = await dataSource.query<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`,
        );
        this.set(row.n);
      },
    });
  }
}
