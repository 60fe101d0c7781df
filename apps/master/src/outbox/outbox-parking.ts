import { Injectable, Logger } from '@nestjs/common';
import { MASTER_SENDER } from '@offline-sync/sync-core';
import type { QueryRunner } from 'typeorm';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { UNSENT_PARTITION } from '../dead-letters/entities/dead-letter.entity';
import type { Unsendable } from './outbox-rows';

/** Takes rows the relay can never send out of the queue, each with a dead letter saying why. */
@Injectable()
export class OutboxParking {
  private readonly logger = new Logger('OutboxRelay');

  constructor(private readonly deadLetters: DeadLettersService) {}

  /**
   * Rows that can never be sent leave the queue, in the relay's transaction, each with a dead
   * letter naming why: nothing behind them waits for them any more.
   */
  async park(runner: QueryRunner, unsendable: Unsendable[]): Promise<void> {
    for (const { row, reason, detail } of unsendable) {
      await runner.query(
        `UPDATE outbox SET status = 'parked', attempts = attempts + 1, last_error = $2 WHERE id = $1`,
        [row.id, `${reason}: ${detail}`.slice(0, 2000)],
      );
      await this.deadLetters.store(
        {
          topic: row.topic,
          partition: UNSENT_PARTITION,
          offset: row.id,
          key: row.key,
          value: JSON.stringify(row.payload),
          valueEncoding: 'utf8',
          headers: {},
          reason,
          detail,
          sender: MASTER_SENDER,
          messageId: row.message_id,
        },
        runner.manager,
      );
      this.logger.error(`Outbox row ${row.id} (${row.key}) parked, never sent: ${detail}`);
    }
  }
}
