import { Inject, Injectable, Logger } from '@nestjs/common';
import { isMessageTooLargeError, type EnvelopePublisher } from '@offline-sync/sync-core';
import type { QueryRunner } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { MASTER_PUBLISHER } from './master-publisher.provider';
import { draftsOf } from './outbox-drafts';
import { OutboxParking } from './outbox-parking';
import {
  markSent,
  recordFailure,
  refusedDetail,
  tooLarge,
  type PendingRow,
  type SignedRow,
} from './outbox-rows';
import { OutboxSigner } from './outbox-signer';
import { OutcomeTopics } from './outcome-topics';
import { planRequests, requestBytes } from './request-plan';

/**
 * Sends one topic's rows in order, in produce requests within KAFKA_MAX_REQUEST_BYTES, or within
 * the smaller limit a topic's broker proved to have.
 */
@Injectable()
export class TopicSender {
  private readonly logger = new Logger('OutboxRelay');
  /** Request sizes below KAFKA_MAX_REQUEST_BYTES for topics whose broker limit proved smaller. */
  private readonly requestLimits = new Map<string, number>();

  constructor(
    @Inject(MASTER_PUBLISHER) private readonly publisher: EnvelopePublisher,
    private readonly signer: OutboxSigner,
    private readonly parking: OutboxParking,
    private readonly outcomeTopics: OutcomeTopics,
    private readonly config: MasterConfig,
  ) {}

  /** Whether the topic's broker takes less than KAFKA_MAX_REQUEST_BYTES a request. */
  hasOwnLimit(topic: string): boolean {
    return this.requestLimits.has(topic);
  }

  /**
   * A topic's rows in order, in requests within its limit. Rows that can never be sent are
   * parked; the first failed request stops the topic (the rows behind it must not overtake it)
   * and throws. True when the topic's limit proved smaller: its rows left go at once, in smaller
   * requests.
   */
  async publish(runner: QueryRunner, topic: string, group: PendingRow[]): Promise<boolean> {
    const { rows, drafts, unsendable } = draftsOf(group, this.config.contentTypes.localOnly);
    await this.parking.park(runner, unsendable);
    if (rows.length === 0) return false;
    let envelopes: SignedRow[];
    try {
      if (rows[0].kind === 'change-outcomes') await this.outcomeTopics.ensure([topic]);
      envelopes = await this.signer.envelopesOf(rows, drafts);
    } catch (error) {
      await recordFailure(runner, rows, error);
      throw error;
    }
    const max = this.config.maxRequestBytes;
    const sizes = envelopes.map((e) => requestBytes(e.key, e.encoded));
    const plan = planRequests(sizes, this.requestLimits.get(topic) ?? max, max);
    await this.parking.park(runner, tooLarge(rows, sizes, plan.parked, max));
    for (const request of plan.requests) {
      const sending = request.map((i) => rows[i]);
      try {
        await this.publisher.publish(
          topic,
          request.map((i) => envelopes[i]),
        );
      } catch (error) {
        if (!isMessageTooLargeError(error)) {
          // Not sent: the rows stay pending with what went wrong, and are retried first next time.
          await recordFailure(runner, sending, error);
          throw error;
        }
        const bytes = request.reduce((sum, i) => sum + sizes[i], 0);
        if (request.length > 1) {
          this.shrink(topic, bytes);
          return true;
        }
        // The topic's own limit is below this message: it can never be sent there.
        await this.parking.park(runner, [
          { row: sending[0], reason: 'too-large', detail: refusedDetail(sending[0], bytes) },
        ]);
        continue;
      }
      await markSent(
        runner,
        sending.map((row) => row.id),
      );
    }
    return false;
  }

  /** The topic takes less than KAFKA_MAX_REQUEST_BYTES: smaller requests from now on. */
  private shrink(topic: string, refusedBytes: number): void {
    this.requestLimits.set(topic, Math.floor(refusedBytes / 2));
    this.logger.warn(
      `The broker refused a ${refusedBytes}-byte request to ${topic} as too large (its max.message.bytes is below KAFKA_MAX_REQUEST_BYTES, ${this.config.maxRequestBytes}): sending at most ${Math.floor(refusedBytes / 2)} bytes a request there`,
    );
  }
}
