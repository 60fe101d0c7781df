import { Inject, Injectable, Logger } from '@nestjs/common';
import { uuidV7 } from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { ConnectivityService } from '../connectivity/connectivity.service';
import { ShipClock } from '../core/clock/ship-clock';
import { ShipConfig } from '../core/config/ship-config';
import { isoNow } from '../core/database/iso-now';
import { ShipDatabase } from '../core/database/ship-database.service';
import type { ShipDb } from '../core/database/ship-tables';
import { SHIP_SIGNING_KEY } from '../core/signing/signing.tokens';
import { ShipMetrics } from '../metrics/ship-metrics.service';
import { OutboxChangesRepository, type WaitingChange } from '../outbox/outbox-changes.repository';
import { splitIntoEnvelopes } from './change-batcher';
import { EnvelopesRepository } from './envelopes.repository';
import { sealedEnvelopeRow, shipChangeOfRow } from './sealed-envelope';

/** Envelopes' worth of changes asked about again per pass. */
const ENVELOPES_PER_PASS = 10;

/**
 * A change asked about k times waits SYNC_OUTCOME_TIMEOUT × 2^k before the next time (capped
 * here): a master down for hours is not asked the same questions over a satellite every minutes.
 */
const MAX_BACKOFF_STEPS = 6;

/**
 * Asks the master again about changes that have waited longer than SYNC_OUTCOME_TIMEOUT (doubling
 * with each time it asked about them) for their outcome while the link was up (docs/protocol.md, "Guarantees"): their outcome was lost,
 * expired from the broker while the ship was dark, or the envelope never got through. Each such
 * change is sealed again, exactly as it was (same change id and seq), into a new envelope: the
 * master answers a change it decided with the outcome it recorded and decides one it never got,
 * so every change ends applied, conflict or rejected.
 */
@Injectable()
export class OutcomeReaskService {
  private readonly logger = new Logger(OutcomeReaskService.name);
  private lastPassAt = 0;

  constructor(
    private readonly config: ShipConfig,
    private readonly db: ShipDatabase,
    private readonly connectivity: ConnectivityService,
    private readonly clock: ShipClock,
    private readonly metrics: ShipMetrics,
    private readonly changes: OutboxChangesRepository,
    private readonly envelopes: EnvelopesRepository,
    @Inject(SHIP_SIGNING_KEY) private readonly signingKey: KeyObject,
  ) {}

  /** Seals re-asks for the changes that are due; returns how many changes it asked about. */
  async sealDue(at = Date.now()): Promise<number> {
    const timeout = this.config.sync.outcomeTimeoutMs;
    if (at - this.lastPassAt < Math.min(timeout / 4, 60_000)) return 0;
    const link = this.connectivity.current();
    // Counted while the link is up: a ship back from weeks at sea first reads what waits for it.
    if (link.state !== 'online' || link.since === null) return 0;
    if (at - Date.parse(link.since) < timeout) return 0;
    this.lastPassAt = at;
    const count = await this.db.transaction((tx) => this.seal(tx, at, timeout));
    if (count > 0) {
      this.metrics.messages.inc({ status: 'reasked' }, count);
      this.logger.warn(
        `Asked the master again about ${count} change(s) without an outcome for over ${Math.round(timeout / 1000)} s`,
      );
    }
    return count;
  }

  private async seal(tx: ShipDb, at: number, timeoutMs: number): Promise<number> {
    const take = this.config.sync.batchSize * ENVELOPES_PER_PASS;
    const rows: WaitingChange[] = [];
    for (let step = 0; step <= MAX_BACKOFF_STEPS && rows.length < take; step += 1) {
      const sentBefore = new Date(at - timeoutMs * 2 ** step).toISOString();
      // Changes asked about `step` times (at least, for the last step) whose wait is over.
      const asked = { reasked: step, orMore: step === MAX_BACKOFF_STEPS, sentBefore };
      rows.push(...(await this.changes.waitingForOutcome(tx, asked, take - rows.length)));
    }
    rows.sort((a, b) => a.id - b.id);
    const now = isoNow();
    for (const chunk of splitIntoEnvelopes(rows, this.config.sync.batchSize)) {
      const messageId = uuidV7();
      const changes = chunk.map((row) =>
        shipChangeOfRow(row, row.seq, this.config.contentTypes.localOnly),
      );
      const envelope = sealedEnvelopeRow(changes, {
        sender: this.config.shipId,
        messageId,
        timestamp: this.clock.nowIso(),
        signingKey: this.signingKey,
        now,
      });
      await this.envelopes.insert(tx, envelope);
      await this.changes.markReasked(
        tx,
        chunk.map((row) => row.id),
        { messageId, now },
      );
    }
    return rows.length;
  }
}
