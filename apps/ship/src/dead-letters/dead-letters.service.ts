import { Injectable, Logger } from '@nestjs/common';
import {
  deadLetterSource,
  type DeadLetterEntry,
  type DeadLetterSink,
} from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import { isoNow } from '../core/database/iso-now';
import type { RejectedMessage } from '../core/kafka/rejected-message';
import { ShipDatabase } from '../core/database/ship-database.service';
import { DeadLetterEntity } from './entities/dead-letter.entity';

/** Received messages that were not applied, kept with their reason for the operators. */
@Injectable()
export class DeadLettersService implements DeadLetterSink {
  private readonly logger = new Logger(DeadLettersService.name);

  constructor(private readonly db: ShipDatabase) {}

  /** For the transport (messages it could not even hand to a handler). */
  async store(entry: DeadLetterEntry): Promise<void> {
    await this.db.transaction((manager) => this.storeIn(manager, entry));
  }

  /** Inside the transaction that applies the rest of the batch. */
  async storeIn(manager: EntityManager, entry: DeadLetterEntry): Promise<void> {
    this.logger.warn({
      msg: `Dead letter from ${entry.topic}[${entry.partition}]@${entry.offset}: ${entry.reason}: ${entry.detail}`,
      messageId: entry.messageId ?? null,
      sender: entry.sender ?? null,
    });
    await manager.insert(DeadLetterEntity, {
      topic: entry.topic,
      partition: entry.partition,
      offset: entry.offset,
      key: entry.key,
      value: entry.value,
      valueEncoding: entry.valueEncoding,
      headers: JSON.stringify(entry.headers),
      reason: entry.reason,
      detail: entry.detail.slice(0, 10_000),
      sender: entry.sender?.slice(0, 64) ?? null,
      messageId: entry.messageId?.slice(0, 64) ?? null,
      createdAt: isoNow(),
    });
  }

  /** Messages of one partition a handler refused, inside the transaction that applies the rest. */
  async storeRejectedIn(
    manager: EntityManager,
    rejected: readonly RejectedMessage[],
    topic: string,
    partition: number,
  ): Promise<void> {
    for (const { message, reason, detail } of rejected) {
      await this.storeIn(manager, {
        ...deadLetterSource(topic, partition, message),
        reason,
        detail,
      });
    }
  }

  count(manager: EntityManager): Promise<number> {
    return manager.count(DeadLetterEntity);
  }
}
