import { Inject, Injectable } from '@nestjs/common';
import {
  verifyEnvelopeAsync,
  type EnvelopeBatchDto,
  type EnvelopeMessageDto,
  type EnvelopeOf,
  type KeyRing,
  type MessageKind,
} from '@offline-sync/sync-core';
import { ShipClock } from '../core/clock/ship-clock';
import { isoNow } from '../core/database/iso-now';
import { ShipDatabase } from '../core/database/ship-database.service';
import type { ShipDb } from '../core/database/ship-tables';
import { slices } from '../core/database/statement-sizes';
import { SyncMetaRepository, type SyncMetaName } from '../core/database/sync-meta.repository';
import { holdUnverifiable } from '../core/kafka/hold-unverifiable';
import type { RejectedMessage } from '../core/kafka/rejected-message';
import { MASTER_KEY_RING } from '../core/signing/signing.tokens';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { ShipMetrics } from '../metrics/ship-metrics.service';
import { InboxPositionsRepository } from './inbox-positions.repository';

/** A refusal of a verified envelope: it becomes a dead letter. */
export interface Refusal {
  reason: string;
  detail: string;
}

/** What one inbound topic does with its verified envelopes (master updates, outcomes). */
export interface InboundHandler<K extends MessageKind, Item, Result> {
  /** The one kind of envelope the topic carries. */
  kind: K;
  /**
   * False for a message meant for another node (a shared outcome topic): passed over unread,
   * neither verified nor refused, while the position moves past it. All are read when absent.
   */
  addressedHere?: (message: EnvelopeMessageDto) => boolean;
  /** The dead letter's detail for an envelope of another kind. */
  otherKind: (kind: string) => string;
  /** The items of a verified envelope of the kind, or why it is refused. */
  accept(envelope: EnvelopeOf<K>): Item[] | Refusal;
  /** The order the items are applied in, across the batch. */
  order?: (a: Item, b: Item) => number;
  /** Items applied per transaction (the last one also stores the position); all when absent. */
  itemsPerTransaction?: number;
  /** Applies a slice of the items inside the transaction that stores what goes with it. */
  apply(tx: ShipDb, items: Item[]): Promise<Result>;
  /** The sync_meta time this topic keeps, and whether a slice's result stamps it. */
  stamp: { name: SyncMetaName; when: (result: Result) => boolean };
}

/** What a batch came to: each transaction's result, the items and the refused messages. */
export interface InboundOutcome<Result> {
  results: Result[];
  items: number;
  rejected: number;
}

/**
 * The one way into the ship for a batch of received envelopes, whatever they carry: each is
 * verified against the master's key (one this ship's configuration could verify later holds the
 * partition: holdUnverifiable), the handler applies the items, and the refused messages (as dead
 * letters), the new position and the clock's correction are committed with the last slice. The
 * transport commits the offsets afterwards; a crash in between re-reads what the stored position
 * says, and applying is idempotent.
 */
@Injectable()
export class InboundPipeline {
  constructor(
    private readonly db: ShipDatabase,
    private readonly positions: InboxPositionsRepository,
    private readonly deadLetters: DeadLettersService,
    private readonly meta: SyncMetaRepository,
    private readonly clock: ShipClock,
    private readonly metrics: ShipMetrics,
    @Inject(MASTER_KEY_RING) private readonly keyRing: KeyRing,
  ) {}

  async run<K extends MessageKind, Item, Result>(
    batch: EnvelopeBatchDto,
    topic: string,
    partition: number,
    handler: InboundHandler<K, Item, Result>,
  ): Promise<InboundOutcome<Result>> {
    const { items, rejected } = await this.verify(batch, handler);
    if (handler.order) items.sort(handler.order);
    const last = batch.messages[batch.messages.length - 1].offset;
    const parts = handler.itemsPerTransaction
      ? slices(items, handler.itemsPerTransaction)
      : [items];
    if (parts.length === 0) parts.push([]);
    const results: Result[] = [];
    for (const [index, part] of parts.entries()) {
      const final = index === parts.length - 1;
      const result = await this.db.transaction(async (tx) => {
        const applied = await handler.apply(tx, part);
        if (final) {
          // Stored once, when every item of the batch is applied.
          await this.deadLetters.storeRejectedIn(tx, rejected, topic, partition);
          await this.positions.advance(tx, topic, partition, last);
          await this.clock.save(tx);
        }
        if (handler.stamp.when(applied)) await this.meta.set(tx, handler.stamp.name, isoNow());
        return applied;
      }, 'replayable');
      results.push(result);
    }
    if (rejected.length > 0) {
      this.metrics.messages.inc({ status: 'dead-lettered' }, rejected.length);
    }
    return { results, items: items.length, rejected: rejected.length };
  }

  /** The items of the batch's verified envelopes of the handler's kind, and the refused ones. */
  private async verify<K extends MessageKind, Item, Result>(
    batch: EnvelopeBatchDto,
    handler: InboundHandler<K, Item, Result>,
  ): Promise<{ items: Item[]; rejected: RejectedMessage[] }> {
    const items: Item[] = [];
    const rejected: RejectedMessage[] = [];
    // Checked on the thread pool, several at once; a batch-signed update (schema version 2) costs
    // one Ed25519 check per batch of 128, the rest only their Merkle proofs.
    const addressed = handler.addressedHere;
    const messages = addressed ? batch.messages.filter(addressed) : batch.messages;
    const verdicts = await Promise.all(
      messages.map((message) => verifyEnvelopeAsync(message.value, this.keyRing)),
    );
    for (const [i, message] of messages.entries()) {
      const verdict = verdicts[i];
      holdUnverifiable(message, verdict);
      if (!verdict.ok) {
        rejected.push({ message, reason: verdict.reason, detail: verdict.detail });
        continue;
      }
      const { envelope } = verdict;
      if (envelope.kind !== handler.kind) {
        const detail = handler.otherKind(envelope.kind);
        rejected.push({ message, reason: 'unexpected-kind', detail });
        continue;
      }
      const accepted = handler.accept(envelope as EnvelopeOf<K>);
      if (!Array.isArray(accepted)) {
        rejected.push({ message, ...accepted });
        continue;
      }
      this.clock.observeMasterTime(envelope.timestamp);
      items.push(...accepted);
    }
    return { items, rejected };
  }
}
