import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { backoffDelay, type DeadLetterEntry, type DeadLetterSink } from '@offline-sync/sync-core';
import { DataSource, type EntityManager } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { DeadLetterReplayers, type ReplayResult } from './dead-letter-replayers';
import { DeadLetter, type DeadLetterStatus } from './entities/dead-letter.entity';

const MAX_RETRY_DELAY_MS = 3_600_000;

export interface DeadLetterPage {
  items: DeadLetter[];
  page: number;
  pageSize: number;
  total: number;
}

@Injectable()
export class DeadLettersService implements DeadLetterSink {
  private readonly logger = new Logger(DeadLettersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: MasterConfig,
    private readonly replayers: DeadLetterReplayers,
  ) {}

  /**
   * Stores a rejected message, due for its first retry after SYNC_RETRY_DELAY. Idempotent per
   * (topic, partition, offset), so a redelivered batch never stores the same message twice.
   * Pass `manager` to store it inside a caller's transaction.
   */
  async store(
    entry: DeadLetterEntry,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const retries = this.config.sync.retryAttempts > 0;
    const result = await manager
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
        status: retries ? 'pending' : 'exhausted',
        nextAttemptAt: retries ? new Date(Date.now() + this.config.sync.retryDelayMs) : null,
      })
      .orIgnore()
      .execute();
    // PostgreSQL returns the generated id of a row it inserted, nothing for one it ignored.
    const inserted = Array.isArray(result.raw) && result.raw.length > 0;
    if (!retries && inserted) {
      await this.replayers.exhausted(
        {
          topic: entry.topic,
          key: entry.key,
          value: entry.value,
          valueEncoding: entry.valueEncoding,
          reason: entry.reason,
          detail: entry.detail,
        },
        manager,
      );
    }
    this.logger.warn(
      `Dead letter ${entry.topic}[${entry.partition}]@${entry.offset} from ${entry.sender ?? 'unknown sender'}: ${entry.reason}: ${entry.detail}`,
    );
  }

  async list(filter: {
    status?: DeadLetterStatus;
    page: number;
    pageSize: number;
  }): Promise<DeadLetterPage> {
    const [items, total] = await this.dataSource.getRepository(DeadLetter).findAndCount({
      where: filter.status ? { status: filter.status } : {},
      order: { createdAt: 'DESC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    return { items, page: filter.page, pageSize: filter.pageSize, total };
  }

  async get(id: string): Promise<DeadLetter> {
    const letter = await this.dataSource.getRepository(DeadLetter).findOneBy({ id });
    if (!letter) throw new NotFoundException(`No dead letter ${id}`);
    return letter;
  }

  /** An operator's retry: runs now whatever the schedule, also for an exhausted letter. */
  async retryNow(id: string): Promise<DeadLetter> {
    const letter = await this.get(id);
    if (letter.status === 'resolved') {
      throw new ConflictException(`Dead letter ${id} is already resolved`);
    }
    return this.attempt(letter);
  }

  /** Re-runs the letter through its consumer and records the result. */
  async attempt(letter: DeadLetter): Promise<DeadLetter> {
    const result = await this.replayers.replay(letter);
    await this.recordAttempt(letter, result);
    return this.get(letter.id);
  }

  /** Letters due for an automatic retry, oldest due first. */
  due(manager: EntityManager, limit: number): Promise<DeadLetter[]> {
    return manager
      .getRepository(DeadLetter)
      .createQueryBuilder('d')
      .where(`d.status IN ('pending', 'retrying')`)
      .andWhere('d.next_attempt_at <= now()')
      .orderBy('d.next_attempt_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  async countsByStatus(): Promise<Record<string, number>> {
    const rows = await this.dataSource.query<Array<{ status: string; n: number }>>(
      `SELECT status, count(*)::int AS n FROM dead_letters GROUP BY status`,
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  async countsByReason(): Promise<Record<string, number>> {
    const rows = await this.dataSource.query<Array<{ reason: string; n: number }>>(
      `SELECT reason, count(*)::int AS n FROM dead_letters GROUP BY reason`,
    );
    return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
  }

  private async recordAttempt(letter: DeadLetter, result: ReplayResult): Promise<void> {
    const attempts = letter.attempts + 1;
    if (result.ok) {
      await this.dataSource.query(
        `UPDATE dead_letters SET status = 'resolved', attempts = $2, last_attempt_at = now(),
           next_attempt_at = NULL, updated_at = now() WHERE id = $1`,
        [letter.id, attempts],
      );
      this.logger.log(`Dead letter ${letter.id} went through on attempt ${attempts}`);
      return;
    }
    const exhausted = attempts >= this.config.sync.retryAttempts;
    const delay = backoffDelay(attempts + 1, {
      initialMs: this.config.sync.retryDelayMs,
      maxMs: MAX_RETRY_DELAY_MS,
    });
    await this.dataSource.transaction(async (manager) => {
      // Only the attempt that moves the letter to exhausted answers for it (an operator may
      // retry an exhausted letter again later).
      const [rows] = await manager.query<[Array<{ was: string }>, number]>(
        `UPDATE dead_letters d SET status = $3, attempts = $2, reason = $4, detail = $5,
           last_attempt_at = now(), updated_at = now(),
           next_attempt_at = CASE WHEN $3 = 'exhausted' THEN NULL ELSE now() + $6 * interval '1 millisecond' END
         FROM (SELECT id, status AS was FROM dead_letters WHERE id = $1 FOR UPDATE) old
         WHERE d.id = old.id
         RETURNING old.was`,
        [
          letter.id,
          attempts,
          exhausted ? 'exhausted' : 'retrying',
          result.reason,
          result.detail,
          delay,
        ],
      );
      if (exhausted && rows[0]?.was !== 'exhausted') {
        await this.replayers.exhausted(
          { ...letter, reason: result.reason, detail: result.detail },
          manager,
        );
      }
    });
  }
}
