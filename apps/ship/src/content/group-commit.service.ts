import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import type { ContentWrite, ContentWriteOutcome } from './content-write';
import { ContentWriter } from './content-writer';

/** Most crew writes committed together; bounds one transaction's size and its callers' wait. */
export const MAX_WRITES_PER_COMMIT = 500;

/** How long the seeded defect `ack-before-commit` holds a commit after answering its writes. */
export const ACK_BEFORE_COMMIT_DELAY_MS = 1000;

interface QueuedWrite {
  write: ContentWrite;
  settle: (outcome: ContentWriteOutcome) => void;
}

/**
 * Group commit: crew writes that arrive while a transaction is in hand wait for it, then all of
 * them share the next transaction and its one durable commit (ContentWriter applies them with a
 * few set-based statements). Each write's promise settles only after its group committed, so an
 * answered write is on disk (a crash before the commit loses only unanswered writes). SQLite keeps
 * its default synchronous=FULL in WAL mode: each commit is synced, so an answered write survives
 * a power loss too, not only a process crash; grouping is what makes that affordable. A lone
 * write does not wait for company: it starts its own transaction at once.
 */
@Injectable()
export class GroupCommitService {
  private queue: QueuedWrite[] = [];
  private draining = false;

  private readonly ackBeforeCommit: boolean;

  constructor(
    private readonly db: ShipDatabase,
    private readonly writer: ContentWriter,
    config: ShipConfig,
  ) {
    this.ackBeforeCommit = config.chaosDefect === 'ack-before-commit';
  }

  /** Resolves once the write is committed (or refused: then nothing of it was written). */
  submit(write: ContentWrite): Promise<ContentWriteOutcome> {
    return new Promise<ContentWriteOutcome>((settle) => {
      this.queue.push({ write, settle });
      if (!this.draining) void this.drain();
    });
  }

  /**
   * Commits `writes` together in a transaction of their own, all or none: when one is refused,
   * nothing is written and the outcomes say which (the others report what they would have done).
   */
  submitAll(writes: readonly ContentWrite[]): Promise<ContentWriteOutcome[]> {
    return this.db.transaction((tx) => this.writer.apply(tx, writes, { allOrNothing: true }));
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) await this.commitNext();
    } finally {
      this.draining = false;
    }
  }

  /**
   * Commits the writes queued when the transaction starts, not when it was asked for: the
   * database is shared with the relay and inbound applies, so writes that arrive while those hold
   * it join this commit instead of each waiting for a commit of its own.
   */
  private async commitNext(): Promise<void> {
    let group: QueuedWrite[] = [];
    try {
      const outcomes = await this.db.transaction(async (tx) => {
        group = this.queue.splice(0, MAX_WRITES_PER_COMMIT);
        const applied = await this.writer.apply(
          tx,
          group.map((queued) => queued.write),
        );
        if (this.ackBeforeCommit) {
          // The seeded defect (SYNC_CHAOS_DEFECT, tests only): answered before the commit, so a
          // crash in the next moment loses writes the crew was told were saved.
          group.forEach((queued, i) => queued.settle(applied[i]));
          await sleep(ACK_BEFORE_COMMIT_DELAY_MS);
        }
        return applied;
      });
      group.forEach((queued, i) => queued.settle(outcomes[i]));
    } catch (error) {
      // The transaction failed before taking any: each write alone, so each gets its answer.
      if (group.length === 0) group = this.queue.splice(0, MAX_WRITES_PER_COMMIT);
      await this.fallBack(group, error);
    }
  }

  private async commit(group: QueuedWrite[]): Promise<void> {
    try {
      const outcomes = await this.db.transaction((tx) =>
        this.writer.apply(
          tx,
          group.map((queued) => queued.write),
        ),
      );
      group.forEach((queued, i) => queued.settle(outcomes[i]));
    } catch (error) {
      await this.fallBack(group, error);
    }
  }

  private async fallBack(group: QueuedWrite[], error: unknown): Promise<void> {
    if (group.length === 1) {
      group[0].settle({ ok: false, error });
      return;
    }
    // The database refused the group's statements (nothing of it is on disk): each write
    // alone, so that only the one at fault fails.
    for (const queued of group) await this.commit([queued]);
  }
}
