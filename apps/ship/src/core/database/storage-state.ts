import { Injectable, Logger } from '@nestjs/common';
import { isoNow } from './iso-now';
import { errorMessage } from '@offline-sync/sync-core';

/** Since when, and with what error, the ship's database refuses writes for want of space. */
export interface StorageFull {
  since: string;
  message: string;
}

/**
 * Whether the ship's database is full, as its units of work found it (ShipDatabase): set by a
 * write refused for want of space, cleared by the next one that commits. Readiness and status
 * report it.
 */
@Injectable()
export class StorageState {
  private readonly logger = new Logger('Storage');
  private state: StorageFull | null = null;

  get full(): StorageFull | null {
    return this.state;
  }

  markFull(error: unknown): void {
    if (this.state) return;
    const detail = errorMessage(error);
    this.state = {
      since: isoNow(),
      message: `database full: writes are refused until there is room (${detail})`,
    };
    this.logger.error(
      `The database is full: crew writes answer 507 and sync waits until there is room (${detail})`,
    );
  }

  markWritable(): void {
    if (!this.state) return;
    this.logger.log(`The database takes writes again (full since ${this.state.since})`);
    this.state = null;
  }
}
