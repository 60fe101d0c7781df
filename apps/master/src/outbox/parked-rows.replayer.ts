import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  errorMessage,
  isMessageTooLargeError,
  type EnvelopePublisher,
} from '@offline-sync/sync-core';
import { DataSource } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { DeadLetterReplayers, type ReplayResult } from '../dead-letters/dead-letter-replayers';
import { MASTER_PUBLISHER } from './master-publisher.provider';
import { draftsOf } from './outbox-drafts';
import { refusedDetail, rowsWhere, tooLargeDetail, type PendingRow } from './outbox-rows';
import { OutboxSigner } from './outbox-signer';
import { OutcomeTopics } from './outcome-topics';
import { requestBytes } from './request-plan';

/**
 * Retries the dead letter of a parked outbox row (one the master never sent): the row is sent on
 * its own, and resolved once the broker has it.
 */
@Injectable()
export class ParkedRowsReplayer implements OnModuleInit {
  private readonly logger = new Logger('OutboxRelay');

  constructor(
    private readonly replayers: DeadLetterReplayers,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MASTER_PUBLISHER) private readonly publisher: EnvelopePublisher,
    private readonly signer: OutboxSigner,
    private readonly outcomeTopics: OutcomeTopics,
    private readonly config: MasterConfig,
  ) {}

  onModuleInit(): void {
    this.replayers.registerUnsent((letter) => this.sendParked(letter.offset));
  }

  /**
   * A parked row's dead letter retried: the row is sent on its own now, if it fits a request
   * (KAFKA_MAX_REQUEST_BYTES raised) and the topic takes it (its broker limit raised).
   */
  async sendParked(outboxId: string): Promise<ReplayResult> {
    const rows = await this.dataSource.query<PendingRow[]>(
      rowsWhere(`status = 'parked' AND id = $2`),
      [1, outboxId],
    );
    if (rows.length === 0) return { ok: true }; // sent already
    const [row] = rows;
    const { drafts, unsendable } = draftsOf(rows, this.config.contentTypes.localOnly);
    if (unsendable.length > 0) {
      return { ok: false, reason: unsendable[0].reason, detail: unsendable[0].detail };
    }
    const [envelope] = await this.signer.envelopesOf(rows, drafts);
    const bytes = requestBytes(envelope.key, envelope.encoded);
    if (bytes > this.config.maxRequestBytes) {
      const detail = tooLargeDetail(row, bytes, this.config.maxRequestBytes);
      return { ok: false, reason: 'too-large', detail };
    }
    try {
      if (row.kind === 'change-outcomes') await this.outcomeTopics.ensure([row.topic]);
      await this.publisher.publish(row.topic, [envelope]);
    } catch (error) {
      return isMessageTooLargeError(error)
        ? { ok: false, reason: 'too-large', detail: refusedDetail(row, bytes) }
        : { ok: false, reason: 'send-failed', detail: errorMessage(error) };
    }
    await this.dataSource.query(
      `UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL
        WHERE id = $1 AND status = 'parked'`,
      [outboxId],
    );
    this.logger.log(`Parked outbox row ${outboxId} (${row.key}) sent on retry`);
    return { ok: true };
  }
}
