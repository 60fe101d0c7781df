import { Injectable, Logger } from '@nestjs/common';
import { isoNow } from '../core/database/iso-now';
import { ShipDatabase } from '../core/database/ship-database.service';
import { slices } from '../core/database/statement-sizes';
import { SyncMetaRepository } from '../core/database/sync-meta.repository';
import { ShipMetrics } from '../metrics/ship-metrics.service';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { countChanges } from './envelope-publisher';
import { EnvelopesRepository } from './envelopes.repository';
import type { OutboxEnvelope } from './sync-envelopes.table';

/** Envelopes marked sent per transaction (~1,000 rows): SQLite runs on the event loop. */
const ENVELOPES_PER_MARK = 10;

/**
 * Records how a send ended, on the envelopes and on their changes: sent once the broker has them,
 * failed once their retries ran out (kept, visible, and retried on reconnect or push).
 */
@Injectable()
export class EnvelopeMarks {
  private readonly logger = new Logger('RelayService');

  constructor(
    private readonly db: ShipDatabase,
    private readonly changes: OutboxChangesRepository,
    private readonly envelopes: EnvelopesRepository,
    private readonly meta: SyncMetaRepository,
    private readonly metrics: ShipMetrics,
  ) {}

  /**
   * The broker has the group: its envelopes and rows are sent. (A crash before this commits only
   * means the very same bytes are sent again, which the master recognises.)
   */
  async sent(group: readonly OutboxEnvelope[], tries: number): Promise<void> {
    // Ids and a count only: the bodies need not live until the mark has run.
    const ids = group.map((e) => e.messageId);
    const changeCount = countChanges(group);
    for (const chunk of slices(ids, ENVELOPES_PER_MARK)) {
      await this.db.transaction(async (tx) => {
        const now = isoNow();
        await this.envelopes.markSent(tx, chunk, { tries, now });
        await this.changes.markSent(tx, chunk, { tries, now });
        await this.meta.set(tx, 'last_push_at', now);
      }, 'replayable');
    }
    this.metrics.messages.inc({ status: 'sent' }, changeCount);
    // Structured fields: a fleet's logs can be joined on the envelope's message id.
    this.logger.debug({
      msg: `Sent ${changeCount} change(s) in ${ids.length} envelope(s)`,
      messageIds: ids,
    });
  }

  async failed(group: readonly OutboxEnvelope[], tries: number, reason: string): Promise<void> {
    const ids = group.map((e) => e.messageId);
    await this.db.transaction(async (tx) => {
      const now = isoNow();
      await this.envelopes.markFailed(tx, ids, { tries, reason });
      await this.changes.markFailed(tx, ids, { tries, reason, now });
    });
    const changeCount = countChanges(group);
    this.metrics.messages.inc({ status: 'failed' }, changeCount);
    this.logger.warn({
      msg: `${changeCount} change(s) in ${ids.length} envelope(s) failed after ${tries} tries; kept as failed until reconnect or push: ${reason}`,
      messageIds: ids,
    });
  }
}
