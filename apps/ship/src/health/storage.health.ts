import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { isStorageFull, errorMessage } from '@offline-sync/sync-core';
import { ShipDatabase } from '../core/database/ship-database.service';
import { SyncMetaRepository } from '../core/database/sync-meta.repository';

/** Written and deleted again by the probe: room for it means room for an ordinary write. */
export const STORAGE_PROBE_BYTES = 64 * 1024;

/**
 * Whether the database takes writes. It is marked full when a write was refused for want of
 * space (ShipDatabase); while it is, each check tries a write of its own (a 64 KiB row, written
 * and deleted in one transaction, so nothing stays), so readiness turns green once there is room
 * again even when no crew write comes to show it.
 */
@Injectable()
export class StorageHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly db: ShipDatabase,
    private readonly meta: SyncMetaRepository,
  ) {}

  async check(key = 'storage'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    if (this.db.storage.full === null) return session.up();
    try {
      await this.probe();
    } catch (error) {
      // A full database keeps its mark; anything else (the database away) is the ping's to report.
      if (!isStorageFull(error)) {
        return session.down({ message: errorMessage(error) });
      }
    }
    const full = this.db.storage.full;
    return full === null ? session.up() : session.down({ ...full });
  }

  /** A committed write that clears the mark when it goes through (ShipDatabase). */
  private probe(): Promise<void> {
    return this.db.transaction(async (tx) => {
      await this.meta.set(tx, 'storage_probe', 'x'.repeat(STORAGE_PROBE_BYTES));
      await this.meta.remove(tx, 'storage_probe');
    }, 'replayable');
  }
}
