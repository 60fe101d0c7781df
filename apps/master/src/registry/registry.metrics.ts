import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '../metrics/metrics.registry';

/**
 * offline_sync_ships_total / offline_sync_ships_online read from the registry at scrape time (the
 * seed's "ships online" gauge was never set), plus per-ship queue depth.
 */
@Injectable()
export class RegistryMetrics {
  constructor(registry: MetricsRegistry, @InjectDataSource() dataSource: DataSource) {
    const counts = async (): Promise<{ total: number; online: number }> => {
      const [row] = await dataSource.query<[{ total: number; online: number }]>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'online')::int AS online FROM ships`,
      );
      return row;
    };
    new Gauge({
      name: 'offline_sync_ships_total',
      help: 'Ships known to the registry',
      registers: [registry],
      async collect() {
        this.set((await counts()).total);
      },
    });
    new Gauge({
      name: 'offline_sync_ships_online',
      help: 'Ships whose last heartbeat is within SYNC_SHIP_OFFLINE_AFTER',
      registers: [registry],
      async collect() {
        this.set((await counts()).online);
      },
    });
    new Gauge({
      name: 'offline_sync_ship_queue_depth',
      help: "Changes waiting in each ship's outbox, as its last heartbeat said",
      labelNames: ['ship'],
      registers: [registry],
      async collect() {
        const rows = await dataSource.query<
          Array<{
            id: string;
            queue_depth: number;
          }>
        >(`SELECT id, queue_depth FROM ships`);
        this.reset();
        for (const row of rows) this.set({ ship: row.id }, row.queue_depth);
      },
    });
  }
}
