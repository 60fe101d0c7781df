import { Injectable } from '@nestjs/common';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import { EnvelopesRepository } from './envelopes.repository';
import { DEFAULT_SEND_BUDGET, fitOnWire, headOfLine, type SendBudget } from './send-budget';
import type { OutboxEnvelope } from './sync-envelopes.table';

/**
 * The line of sealed envelopes waiting to be sent, oldest first. Envelopes go out strictly in seq
 * order: the master treats a seq at or below its high-water mark as a redelivery, so an envelope
 * must never overtake an earlier one, and a failed envelope holds the ones behind it until it is
 * retried (on reconnect or POST push).
 */
@Injectable()
export class SendLine {
  readonly budget: SendBudget;

  constructor(
    config: ShipConfig,
    private readonly db: ShipDatabase,
    private readonly envelopes: EnvelopesRepository,
  ) {
    this.budget = { ...DEFAULT_SEND_BUDGET, compressed: config.compression === 'gzip' };
  }

  /**
   * The next request's envelopes (bodies loaded, as many as fit one request) behind the envelope
   * whose first seq is `after` (the one in flight), or null when a failed envelope blocks the line.
   */
  async next(after: number | null): Promise<OutboxEnvelope[] | null> {
    // One unit of work: the relay's turn at the database is short and comes once per request.
    const envelopes = await this.db.read(async (db) => {
      if (await this.envelopes.anyFailed(db)) return null;
      // By size only first: the bodies of envelopes that do not fit stay on disk.
      const sizes = await this.envelopes.pendingSizes(db, after, this.budget.maxEnvelopes + 1);
      const { take } = headOfLine(sizes, this.budget);
      if (take.length === 0) return [];
      return this.envelopes.load(
        db,
        take.map((e) => e.messageId),
      );
    });
    // As many as fit one request on the wire.
    return envelopes === null ? null : fitOnWire(envelopes, this.budget);
  }
}
