import { Injectable, Logger } from '@nestjs/common';
import {
  deadLetterSource,
  type DeadLetterEntry,
  type DeadLetterSink,
} from '@offline-sync/sync-core';
import type { RejectedMessage } from '../core/kafka/rejected-message';
import { ShipDatabase } from '../core/database/ship-database.service';
import type { ShipDb } from '../core/database/ship-tables';
import { DeadLettersRepository } from './dead-letters.repository';

/** Received messages that were not applied, kept with their reason for the operators. */
@Injectable()
export class DeadLettersService implements DeadLetterSink {
  private readonly logger = new Logger(DeadLettersService.name);

  constructor(
    private readonly db: ShipDatabase,
    private readonly deadLetters: DeadLettersRepository,
  ) {}

  /** For the transport (messages it could not even hand to a handler). */
  async store(entry: DeadLetterEntry): Promise<void> {
    await this.db.transaction((db) => this.storeIn(db, entry));
  }

  /** Inside the transaction that applies the rest of the batch. */
  async storeIn(db: ShipDb, entry: DeadLetterEntry): Promise<void> {
    this.logger.warn({
      msg: `Dead letter from ${entry.topic}[${entry.partition}]@${entry.offset}: ${entry.reason}: ${entry.detail}`,
      messageId: entry.messageId ?? null,
      sender: entry.sender ?? null,
    });
    await this.deadLetters.insert(db, entry);
  }

  /** Messages of one partition a handler refused, inside the transaction that applies the rest. */
  async storeRejectedIn(
    db: ShipDb,
    rejected: readonly RejectedMessage[],
    topic: string,
    partition: number,
  ): Promise<void> {
    for (const { message, reason, detail } of rejected) {
      await this.storeIn(db, { ...deadLetterSource(topic, partition, message), reason, detail });
    }
  }
}
