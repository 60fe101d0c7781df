import type {
  AppliedPosition,
  HeartbeatDto,
  ShipChangeDto,
  ShipChangeOp,
} from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { SimShipIdentity } from './fleet-keys';

/** A document is edited this many times by its ship before the ship starts a new one. */
const EDITS_PER_DOCUMENT = 20;

/**
 * One simulated ship's protocol state, as a ship keeps it in its database: its change sequence,
 * its heartbeat sequence, the document it is editing and that document's version, and the
 * changes written since its last envelope. A few hundred bytes a ship.
 */
export class SimShip {
  readonly id: string;
  readonly privateKey: KeyObject;
  silent = false;
  /** Changes written by the crew and not sealed in an envelope yet. */
  pending: ShipChangeDto[] = [];
  lastSealAt = 0;
  /** Changes sealed and sent that have no outcome yet (only known for sampled ships). */
  awaitingOutcome = 0;
  appliedPosition: AppliedPosition = {};
  private seq = 0;
  private heartbeatSeq = 0;
  private documentId: string | null = null;
  /** The master version of `documentId` once every change sent for it is applied. */
  private version = 0;

  constructor(identity: SimShipIdentity) {
    this.id = identity.id;
    this.privateKey = identity.privateKey;
  }

  /**
   * A crew edit: creates a document, then updates it (one field each time) on the version its
   * own earlier changes lead to. Only this ship edits its documents, so every change is a
   * fast-forward on the master and the base versions hold without reading outcomes.
   */
  write(contentType: string, now: number): ShipChangeDto {
    let op: ShipChangeOp = 'update';
    if (this.documentId === null || this.version >= EDITS_PER_DOCUMENT) {
      this.documentId = uuidv7();
      this.version = 0;
      op = 'create';
    }
    this.seq += 1;
    const change: ShipChangeDto = {
      changeId: uuidv7(),
      seq: this.seq,
      op,
      type: contentType,
      documentId: this.documentId,
      locale: '',
      baseVersion: this.version,
      fields:
        op === 'create'
          ? { title: `${this.id} document`, n: this.seq, status: 'open' }
          : { n: this.seq, at: now },
      editedAt: new Date(now).toISOString(),
    };
    this.version += 1;
    this.pending.push(change);
    return change;
  }

  /** The pending changes, taken for one envelope. */
  takePending(now: number): ShipChangeDto[] {
    const changes = this.pending;
    this.pending = [];
    this.lastSealAt = now;
    return changes;
  }

  heartbeat(now: number, appVersion: string): HeartbeatDto {
    // At least the time in ms, as a ship does: a restarted simulator starts above what it sent.
    this.heartbeatSeq = Math.max(this.heartbeatSeq + 1, now);
    return {
      shipId: this.id,
      sentAt: new Date(now).toISOString(),
      sequence: this.heartbeatSeq,
      appVersion,
      queueDepth: this.pending.length,
      awaitingOutcome: this.awaitingOutcome,
      failedCount: 0,
      oldestPendingAgeMs: null,
      appliedPosition: this.appliedPosition,
      online: true,
    };
  }
}
