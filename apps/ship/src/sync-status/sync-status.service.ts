import { Injectable } from '@nestjs/common';
import { APP_VERSION, type AppliedPosition, type PartitionHold } from '@offline-sync/sync-core';
import { ConnectivityService } from '../connectivity/connectivity.service';
import type { LinkStatus } from '../connectivity/link-state';
import { DocumentsRepository } from '../documents/documents.repository';

import { ShipConfig } from '../core/config/ship-config';
import { measureDatabase, type DatabaseSize } from '../core/database/database-size';
import { ShipDatabase } from '../core/database/ship-database.service';
import { StorageState, type StorageFull } from '../core/database/storage-state';
import { SyncMetaRepository } from '../core/database/sync-meta.repository';
import { DeadLettersRepository } from '../dead-letters/dead-letters.repository';
import { HeartbeatService } from '../heartbeat/heartbeat.service';
import { InboxPositionsRepository } from '../inbox/inbox-positions.repository';
import { ShipInboxServer, type InboxConsumerState } from '../inbox/ship-inbox.server';
import type { OutboxStatus } from '../outbox/sync-queue.table';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';

export interface ShipSyncStatus {
  shipId: string;
  mode: 'replica';
  appVersion: string;
  online: boolean;
  link: LinkStatus;
  inboundConsumer: InboxConsumerState;
  /**
   * Inbound partitions held at a message this ship cannot verify yet (e.g. signed with a master
   * key it has not been given): nothing after it is applied until a configuration verifies it.
   */
  inboundHolds: PartitionHold[];
  lastPushAt: string | null;
  lastPullAt: string | null;
  lastOutcomeAt: string | null;
  lastHeartbeatAt: string | null;
  /** Changes not yet confirmed by the broker (queued or in an envelope being sent). */
  pending: number;
  /** Sent, waiting for the master's outcome. */
  awaitingOutcome: number;
  /** Exhausted their retries; retried on reconnect or POST push. */
  failed: number;
  queue: Record<OutboxStatus, number>;
  oldestPendingAgeMs: number | null;
  /** Documents with an open conflict on the master. */
  conflicts: number;
  /** Documents whose last change the master rejected. */
  rejected: number;
  deadLetters: number;
  appliedPosition: AppliedPosition;
  /** The database's size and limit, and since when it is full (null while it takes writes). */
  database: DatabaseSize & { full: StorageFull | null };
}

@Injectable()
export class SyncStatusService {
  constructor(
    private readonly config: ShipConfig,
    private readonly db: ShipDatabase,
    private readonly meta: SyncMetaRepository,
    private readonly outbox: OutboxChangesRepository,
    private readonly positions: InboxPositionsRepository,
    private readonly deadLetters: DeadLettersRepository,
    private readonly documents: DocumentsRepository,
    private readonly connectivity: ConnectivityService,
    private readonly heartbeat: HeartbeatService,
    private readonly inbox: ShipInboxServer,
    private readonly storage: StorageState,
  ) {}

  async status(): Promise<ShipSyncStatus> {
    const snapshot = await this.db.read(async (db) => ({
      meta: await this.meta.getAll(db),
      queue: await this.outbox.counts(db),
      oldest: await this.outbox.oldestUndeliveredAt(db),
      conflicts: await this.documents.countInState(db, 'conflict'),
      rejected: await this.documents.countInState(db, 'rejected'),
      deadLetters: await this.deadLetters.count(db),
      appliedPosition: await this.positions.appliedPosition(db, this.config.topics.masterUpdates),
      database: await measureDatabase(db, this.config.database),
    }));
    const link = this.connectivity.current();
    return {
      shipId: this.config.shipId,
      mode: 'replica',
      appVersion: APP_VERSION,
      online: link.state === 'online',
      link,
      inboundConsumer: this.inbox.consumerState(),
      inboundHolds: this.inbox.heldPartitions(),
      lastPushAt: snapshot.meta.last_push_at ?? null,
      lastPullAt: snapshot.meta.last_pull_at ?? null,
      lastOutcomeAt: snapshot.meta.last_outcome_at ?? null,
      lastHeartbeatAt: this.heartbeat.lastHeartbeatAt(),
      pending: snapshot.queue.pending + snapshot.queue.sending,
      awaitingOutcome: snapshot.queue.sent,
      failed: snapshot.queue.failed,
      queue: snapshot.queue,
      oldestPendingAgeMs: snapshot.oldest
        ? Math.max(0, Date.now() - Date.parse(snapshot.oldest))
        : null,
      conflicts: snapshot.conflicts,
      rejected: snapshot.rejected,
      deadLetters: snapshot.deadLetters,
      appliedPosition: snapshot.appliedPosition,
      database: { ...snapshot.database, full: this.storage.full },
    };
  }
}
