import { Injectable, Logger } from '@nestjs/common';
import { isoNow } from '../core/database/iso-now';
import { ShipDatabase } from '../core/database/ship-database.service';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { EnvelopesRepository } from './envelopes.repository';

/** Puts envelopes that exhausted their retries back at the head of the line (reconnect, push). */
@Injectable()
export class FailedRequeue {
  private readonly logger = new Logger('RelayService');

  constructor(
    private readonly db: ShipDatabase,
    private readonly changes: OutboxChangesRepository,
    private readonly envelopes: EnvelopesRepository,
  ) {}

  /** Failed envelopes and their rows go back to the head of the line, attempts reset. */
  async requeue(): Promise<void> {
    const count = await this.db.transaction(async (tx) => {
      const ids = await this.envelopes.failedIds(tx);
      if (ids.length === 0) return 0;
      await this.envelopes.requeue(tx, ids);
      await this.changes.requeueFailed(tx, ids, isoNow());
      return ids.length;
    });
    if (count > 0) this.logger.log(`Retrying ${count} failed envelope(s)`);
  }
}
