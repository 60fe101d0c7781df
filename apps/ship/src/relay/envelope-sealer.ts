import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  documentTooLargeReason,
  findUnstorableText,
  formatFieldErrors,
  mayHoldUnstorableText,
  oversizedDocumentBytes,
  ShipChangeDto,
  uuidV7,
  validateContract,
} from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { ShipClock } from '../core/clock/ship-clock';
import { ShipConfig } from '../core/config/ship-config';
import { isoNow } from '../core/database/iso-now';
import { ShipDatabase } from '../core/database/ship-database.service';
import type { ShipDb } from '../core/database/ship-tables';
import { SyncMetaRepository } from '../core/database/sync-meta.repository';
import { SHIP_SIGNING_KEY } from '../core/signing/signing.tokens';
import { DocumentsRepository } from '../documents/documents.repository';
import { OutboxChangesRepository, type QueuedChange } from '../outbox/outbox-changes.repository';
import { settleDocuments, type DocumentOutcome } from '../outcomes/settle-documents';
import { MAX_ENVELOPE_BYTES, splitIntoEnvelopes } from './change-batcher';
import { EnvelopesRepository } from './envelopes.repository';
import { sealedEnvelopeRow, shipChangeOfRow } from './sealed-envelope';

/**
 * Envelopes sealed per claim transaction (~100 ms for 1,000 small changes): SQLite runs on the
 * event loop, so crew writes and the inbox wait behind a claim, and a claim waits behind them;
 * shorter claims made sealing, not the link, what limited a backlog's upload over a satellite.
 */
const ENVELOPES_PER_CLAIM = 10;

/** What one claim sealed, and whether more were queued than one claim takes. */
export interface Claimed {
  rows: number;
  more: boolean;
}

/** A queued change that can never be sent, with why. */
interface RefusedChange {
  row: QueuedChange;
  detail: string;
}

/**
 * Puts queued rows into signed envelopes, in write order: seq, changeId and messageId are assigned
 * and the signed envelope stored in one transaction, before the first send. A retry (or a restart
 * after kill -9) sends those very bytes again, so the master recognises the redelivery; a claimed
 * row is never altered (new edits become new rows).
 */
@Injectable()
export class EnvelopeSealer {
  private readonly logger = new Logger('RelayService');

  constructor(
    private readonly config: ShipConfig,
    private readonly db: ShipDatabase,
    private readonly meta: SyncMetaRepository,
    private readonly changes: OutboxChangesRepository,
    private readonly envelopes: EnvelopesRepository,
    private readonly documents: DocumentsRepository,
    private readonly clock: ShipClock,
    @Inject(SHIP_SIGNING_KEY) private readonly signingKey: KeyObject,
  ) {}

  /**
   * Seals the oldest queued rows in one transaction: seq continues from the last one assigned
   * (gaps are fine, order is what counts).
   */
  async claim(): Promise<Claimed> {
    const take = this.config.sync.batchSize * ENVELOPES_PER_CLAIM;
    const asked = Date.now();
    let started = asked;
    const claimed = await this.db.transaction(async (tx) => {
      started = Date.now();
      const rows = await this.changes.queued(tx, take);
      if (rows.length === 0) return { rows: 0, more: false };
      let lastSeq = Number((await this.meta.get(tx, 'last_seq')) ?? '0');
      const now = isoNow();
      for (const chunk of splitIntoEnvelopes(
        rows,
        this.config.sync.batchSize,
        MAX_ENVELOPE_BYTES,
      )) {
        lastSeq = await this.seal(tx, chunk, lastSeq, now);
      }
      await this.meta.set(tx, 'last_seq', String(lastSeq));
      return { rows: rows.length, more: rows.length === take };
    });
    if (claimed.rows > 0) {
      this.logger.debug(
        `Sealed ${claimed.rows} change(s) in ${Date.now() - started} ms (${started - asked} ms waiting for the database)`,
      );
    }
    return claimed;
  }

  /** Seals one envelope; returns the last seq it assigned. */
  private async seal(
    tx: ShipDb,
    rows: QueuedChange[],
    lastSeq: number,
    now: string,
  ): Promise<number> {
    const messageId = uuidV7();
    // seq = lastSeq + (id - firstId + 1): increasing in write order, computed in one statement.
    const seqOffset = lastSeq - rows[0].id + 1;
    const { changes, refused } = this.onWire(rows, seqOffset);
    await this.changes.markSealed(
      tx,
      rows.map((row) => row.id),
      { messageId, seqOffset, now },
    );
    await this.refuse(tx, refused, now);
    const last = seqOffset + rows[rows.length - 1].id;
    if (changes.length === 0) return last;
    const envelope = sealedEnvelopeRow(changes, {
      sender: this.config.shipId,
      messageId,
      timestamp: this.clock.nowIso(),
      signingKey: this.signingKey,
      now,
    });
    await this.envelopes.insert(tx, envelope);
    return last;
  }

  /** The rows as changes on the wire, and those that can never go there. */
  private onWire(
    rows: readonly QueuedChange[],
    seqOffset: number,
  ): { changes: ShipChangeDto[]; refused: RefusedChange[] } {
    const changes: ShipChangeDto[] = [];
    const refused: RefusedChange[] = [];
    for (const row of rows) {
      // Queued before the size cap held here: it could never be sent, nor applied by the master.
      const oversized = oversizedDocumentBytes(null, row.fields);
      if (oversized !== null) {
        refused.push({ row, detail: `too-large: fields ${documentTooLargeReason(oversized)}` });
        continue;
      }
      const change = shipChangeOfRow(row, seqOffset + row.id, this.config.contentTypes.localOnly);
      // One bad change must not make the master dead-letter the whole envelope; a change no
      // node could store (written before the content API refused it) is refused here too.
      const checked = validateContract(ShipChangeDto, change);
      const unstorable = mayHoldUnstorableText(row.fields)
        ? findUnstorableText(change.fields)
        : null;
      if (!checked.ok)
        refused.push({ row, detail: `invalid-change: ${checked.errors.join('; ')}` });
      else if (unstorable)
        refused.push({ row, detail: `invalid-data: ${formatFieldErrors([unstorable])}` });
      else changes.push(change);
    }
    return { changes, refused };
  }

  /** Refused changes are kept as rejected, and their documents show it as a master rejection. */
  private async refuse(tx: ShipDb, refused: readonly RefusedChange[], now: string): Promise<void> {
    const byDocument = new Map<string, DocumentOutcome[]>();
    for (const { row, detail } of refused) {
      this.logger.error(`Change ${row.changeId} cannot be sent (${detail}); kept as rejected`);
      await this.changes.markRefused(tx, row.id, detail, now);
      const list = byDocument.get(row.docKey) ?? [];
      list.push({ outcome: { status: 'rejected', reason: detail }, reportedAt: now });
      byDocument.set(row.docKey, list);
    }
    await settleDocuments(
      tx,
      { documents: this.documents, changes: this.changes },
      this.config.contentTypes.localOnly,
      byDocument,
    );
  }
}
