import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SyncMetric, type MessageStatus } from '@offline-sync/sync-core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { DocumentsRepository } from '../documents/documents.repository';
import { ShipConfig } from '../core/config/ship-config';
import { lastSyncAt } from '../core/database/last-sync-at';
import { ShipDatabase } from '../core/database/ship-database.service';
import { SyncMetaRepository } from '../core/database/sync-meta.repository';
import { DeadLettersRepository } from '../dead-letters/dead-letters.repository';
import { UNDELIVERED_STATUSES } from '../outbox/sync-queue.table';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { ShipMetric } from './ship-metric-providers';

/** How often the database-backed gauges are refreshed. */
const GAUGE_REFRESH_MS = 5000;

/** Outcomes a ship counts in `offline_sync_messages_total`, exported from 0 on. */
const SHIP_MESSAGE_STATUSES: readonly MessageStatus[] = [
  'sent',
  'failed',
  'processed',
  'duplicate',
  'dead-lettered',
];

/**
 * The ship's metrics in one injectable place. The database-backed gauges (outbox depth,
 * conflicts, dead letters, last sync) are refreshed on a timer rather than on scrape, so a scrape
 * never waits behind a long transaction or a database that is away.
 */
@Injectable()
export class ShipMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    @InjectMetric(SyncMetric.Messages) readonly messages: Counter<string>,
    @InjectMetric(ShipMetric.ShipOnline) private readonly shipOnline: Gauge<string>,
    @InjectMetric(ShipMetric.ConnectivityTransitions)
    readonly connectivityTransitions: Counter<string>,
    @InjectMetric(ShipMetric.OutboxDepth) private readonly outboxDepth: Gauge<string>,
    @InjectMetric(ShipMetric.ShipQueueDepth) private readonly shipQueueDepth: Gauge<string>,
    @InjectMetric(ShipMetric.ConflictsOpen) private readonly conflicts: Gauge<string>,
    @InjectMetric(ShipMetric.DeadLetters) private readonly deadLetters: Gauge<string>,
    @InjectMetric(ShipMetric.LastSync) private readonly lastSync: Gauge<string>,
    @InjectMetric(ShipMetric.OldestPendingAge) private readonly oldestPendingAge: Gauge<string>,
    @InjectMetric(ShipMetric.SendDuration) readonly sendDuration: Histogram<string>,
    @InjectMetric(ShipMetric.Heartbeats) readonly heartbeats: Counter<string>,
    private readonly config: ShipConfig,
    private readonly db: ShipDatabase,
    private readonly meta: SyncMetaRepository,
    private readonly outbox: OutboxChangesRepository,
    private readonly documents: DocumentsRepository,
    private readonly deadLetterRows: DeadLettersRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.setOnline(false);
    for (const status of SHIP_MESSAGE_STATUSES) this.messages.inc({ status }, 0);
    // The first values are there before the first scrape can be answered.
    await this.refreshGauges();
    this.timer = setInterval(() => void this.refreshGauges(), GAUGE_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The link state as the connectivity probe sees it. */
  setOnline(online: boolean): void {
    this.shipOnline.set({ ship_id: this.config.shipId }, online ? 1 : 0);
  }

  /** Reads the gauges' values from the database (joining a refresh under way). */
  refreshGauges(): Promise<void> {
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<void> {
    try {
      const snapshot = await this.db.read(async (db) => ({
        counts: await this.outbox.counts(db, UNDELIVERED_STATUSES),
        oldest: await this.outbox.oldestUndeliveredAt(db),
        conflicts: await this.documents.countInState(db, 'conflict'),
        deadLetters: await this.deadLetterRows.count(db),
        meta: await this.meta.getAll(db),
      }));
      const { counts } = snapshot;
      this.outboxDepth.set({ state: 'pending' }, counts.pending + counts.sending);
      this.outboxDepth.set({ state: 'failed' }, counts.failed);
      this.shipQueueDepth.set(
        { ship_id: this.config.shipId },
        counts.pending + counts.sending + counts.failed,
      );
      this.conflicts.set(snapshot.conflicts);
      // A ship keeps dead letters for an operator; nothing retries them.
      this.deadLetters.set({ status: 'pending' }, snapshot.deadLetters);
      const last = lastSyncAt(snapshot.meta);
      this.lastSync.set(last ? Date.parse(last) / 1000 : 0);
      this.oldestPendingAge.set(
        snapshot.oldest ? Math.max(0, Date.now() - Date.parse(snapshot.oldest)) / 1000 : 0,
      );
    } catch {
      // The database is away or shutting down; the next refresh catches up.
    }
  }
}
