import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeadLetterEntry, DeadLetterSink } from '@offline-sync/sync-core';
import { DataSource, type EntityManager } from 'typeorm';
import { DeadLetter } from './entities/dead-letter.entity';

@Injectable()
export class DeadLettersService implements DeadLetterSink {
  private readonly logger = new Logger(DeadLettersService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores a rejected message. Idempotent per (topic, partition, offset), so a redelivered batch
   * never stores the same message twice. Pass `manager` to store it inside a caller's transaction.
   */
  async store(
    entry: DeadLetterEntry,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(DeadLetter)
      .values({
        topic: entry.topic,
        partition: entry.partition,
        offset: entry.offset,
        key: entry.key,
        value: entry.value,
        valueEncoding: entry.valueEncoding,
        headers: entry.headers,
        reason: entry.reason,
        detail: entry.detail,
        sender: entry.sender ?? null,
        messageId: entry.messageId ?? null,
        status: 'pending',
      })
      .orIgnore()
      .execute();
    this.logger.warn(
      `Dead letter ${entry.topic}[${entry.partition}]@${entry.offset} from ${entry.sender ?? 'unknown sender'}: ${entry.reason}: ${entry.detail}`,
    );
  }

  list(limit = 100): Promise<DeadLetter[]> {
    return this.dataSource
      .getRepository(DeadLetter)
      .find({ order: { createdAt: 'DESC' }, take: limit });
  }
}
