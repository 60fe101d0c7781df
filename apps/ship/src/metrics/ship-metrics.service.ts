import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SyncMetric } from '@offline-sync/sync-core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { DocumentEntity } from '../content/entities/document.entity';
import { ShipDatabase } from '../core/database/ship-database.service';
import { OutboxService } from '../outbox/outbox.service';
import { ShipMetric } from './ship-metric-providers';

/** How often the queue gauges are refreshed from the database. */
const GAUGE_REFRESH_MS = 5000;

/**
 * The ship's metrics in one injectable place. The queue gauges are refreshed from the database
 * on a timer rather than on scrape, so a scrape never waits behind a long transaction.
 */
@Injectable()
export class ShipMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectMetric(SyncMetric.Messages) readonly messages: Counter<string>,
    @InjectMetric(ShipMetric.Online) readonly online: Gauge<string>,
    @InjectMetric(ShipMetric.ConnectivityTransitions)
    readonly connectivityTransitions: Counter<string>,
    @InjectMetric(ShipMetric.QueueDepth) private readonly queueDepth: Gauge<string>,
    @InjectMetric(ShipMetric.ConflictsOpen) private readonly conflicts: Gauge<string>,
    @InjectMetric(ShipMetric.OldestPendingAge) private readonly oldestPendingAge: Gauge<string>,
    @InjectMetric(ShipMetric.SendDuration) readonly sendDuration: Histogram<string>,
    @InjectMetric(ShipMetric.Heartbeats) readonly heartbeats: Counter<string>,
    private readonly db: ShipDatabase,
    private readonly outbox: OutboxService,
  ) {}

  onApplicationBootstrap(): void {
    this.online.set(0);
    void this.refreshGauges();
    this.timer = setInterval(() => void this.refreshGauges(), GAUGE_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async refreshGauges(): Promise<void> {
    try {
      const { counts, oldest, conflicts } = await this.db.read(async (manager) => ({
        counts: await this.outbox.counts(manager),
        oldest: await this.outbox.oldestUndeliveredAt(manager),
        conflicts: await manager.count(DocumentEntity, { where: { syncState: 'conflict' } }),
      }));
      for (const [status, count] of Object.entries(counts)) this.queueDepth.set({ status }, count);
      this.conflicts.set(conflicts);
      this.oldestPendingAge.set(oldest ? (Date.now() - Date.parse(oldest)) / 1000 : 0);
    } catch {
      // The database is shutting down or busy; the next refresh catches up.
    }
  }
}
