import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  APP_VERSION,
  MessageKind,
  signEnvelope,
  type HeartbeatDto,
  errorMessage,
} from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { ConnectivityService } from '../connectivity/connectivity.service';
import { ShipClock } from '../core/clock/ship-clock';
import { SyncMetaRepository } from '../core/database/sync-meta.repository';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import { ShipPublisher } from '../core/kafka/ship-publisher';
import { SHIP_SIGNING_KEY } from '../core/signing/signing.tokens';
import type { ShipDb } from '../core/database/ship-tables';
import { InboxPositionsRepository } from '../inbox/inbox-positions.repository';
import { ShipMetrics } from '../metrics/ship-metrics.service';
import { UNDELIVERED_STATUSES, type OutboxStatus } from '../outbox/sync-queue.table';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';

/** Undelivered rows, and rows the broker has that wait for their outcome. */
const HEARTBEAT_COUNTED_STATUSES: readonly OutboxStatus[] = [...UNDELIVERED_STATUSES, 'sent'];

/**
 * Tells the master every SYNC_HEARTBEAT_INTERVAL that this ship is alive, with its backlog and
 * applied position, on the heartbeat topic (never behind a data backlog). Skipped while offline;
 * one goes out as soon as the link returns.
 */
/** How long after the link returns the first heartbeat goes. */
const RECONNECT_HEARTBEAT_DELAY_MS = 2000;

@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HeartbeatService.name);
  private timer: NodeJS.Timeout | null = null;
  private subscription: Subscription | null = null;
  private lastSentAt: string | null = null;
  private sending: Promise<boolean> | null = null;

  constructor(
    private readonly config: ShipConfig,
    private readonly db: ShipDatabase,
    private readonly outbox: OutboxChangesRepository,
    private readonly positions: InboxPositionsRepository,
    private readonly publisher: ShipPublisher,
    private readonly connectivity: ConnectivityService,
    private readonly metrics: ShipMetrics,
    private readonly clock: ShipClock,
    private readonly meta: SyncMetaRepository,
    @Inject(SHIP_SIGNING_KEY) private readonly signingKey: KeyObject,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.connectivity.changes.subscribe((transition) => {
      if (transition.to !== 'online') return;
      // Shortly after, not at once: the first produce request after a reconnect is then the
      // relay's, with the crew's changes (one request at a time, a round trip each on a satellite).
      const timer = setTimeout(() => void this.beat(), RECONNECT_HEARTBEAT_DELAY_MS);
      timer.unref();
    });
    this.timer = setInterval(() => void this.beat(), this.config.sync.heartbeatIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }

  lastHeartbeatAt(): string | null {
    return this.lastSentAt;
  }

  /** Sends one heartbeat now (joining one under way); false when offline or it failed. */
  beat(): Promise<boolean> {
    this.sending ??= this.send().finally(() => {
      this.sending = null;
    });
    return this.sending;
  }

  async payload(): Promise<HeartbeatDto> {
    const { counts, oldest, appliedPosition, sequence } = await this.db.transaction(async (tx) => ({
      counts: await this.outbox.counts(tx, HEARTBEAT_COUNTED_STATUSES),
      oldest: await this.outbox.oldestUndeliveredAt(tx),
      appliedPosition: await this.positions.appliedPosition(tx, this.config.topics.masterUpdates),
      sequence: await this.nextSequence(tx),
    }));
    return {
      shipId: this.config.shipId,
      sentAt: this.clock.nowIso(),
      sequence,
      appVersion: APP_VERSION,
      queueDepth: counts.pending + counts.sending + counts.failed,
      awaitingOutcome: counts.sent,
      failedCount: counts.failed,
      oldestPendingAgeMs: oldest ? Math.max(0, Date.now() - Date.parse(oldest)) : null,
      appliedPosition,
      online: true,
    };
  }

  /**
   * The heartbeat's sequence: above the last one sent, and at least the time in milliseconds,
   * so a ship whose database was replaced still starts above what the master saw of it.
   */
  private async nextSequence(tx: ShipDb): Promise<number> {
    const last = Number((await this.meta.get(tx, 'heartbeat_seq')) ?? '0');
    const next = Math.max(last + 1, Date.now());
    await this.meta.set(tx, 'heartbeat_seq', String(next));
    return next;
  }

  private async send(): Promise<boolean> {
    if (!this.connectivity.isOnline()) {
      this.metrics.heartbeats.inc({ status: 'skipped_offline' });
      return false;
    }
    try {
      const payload = await this.payload();
      const envelope = signEnvelope(
        {
          sender: this.config.shipId,
          kind: MessageKind.Heartbeat,
          payload,
          timestamp: payload.sentAt,
        },
        this.signingKey,
      );
      await this.publisher.publish(this.config.topics.heartbeats, [
        { key: this.config.shipId, envelope, sentAt: Date.parse(payload.sentAt) },
      ]);
      this.lastSentAt = payload.sentAt;
      this.metrics.heartbeats.inc({ status: 'sent' });
      return true;
    } catch (error) {
      this.metrics.heartbeats.inc({ status: 'failed' });
      this.logger.warn(`Heartbeat not sent: ${errorMessage(error)}`);
      return false;
    }
  }
}
