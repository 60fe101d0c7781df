import { Inject, Injectable, Logger } from '@nestjs/common';
import { errorMessage, type EnvelopePublisher } from '@offline-sync/sync-core';
import type { QueryRunner } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { MASTER_PUBLISHER } from './master-publisher.provider';
import { draftsOf } from './outbox-drafts';
import { OutboxParking } from './outbox-parking';
import { markSent, tooLarge, type PendingRow, type SignedRow } from './outbox-rows';
import { OutboxSigner } from './outbox-signer';
import { OutcomeTopics } from './outcome-topics';
import { planRequests, requestBytes } from './request-plan';

/**
 * Sends outcome rows of many ships' topics together. Outcomes go to one topic per ship: a relay
 * pass holds a few rows for each of hundreds of topics, and a round trip per topic would be most
 * of the pass.
 */
@Injectable()
export class OutcomeFanout {
  private readonly logger = new Logger('OutboxRelay');

  constructor(
    @Inject(MASTER_PUBLISHER) private readonly publisher: EnvelopePublisher,
    private readonly signer: OutboxSigner,
    private readonly parking: OutboxParking,
    private readonly outcomeTopics: OutcomeTopics,
    private readonly config: MasterConfig,
  ) {}

  /**
   * Rows of many topics (each topic's in order) in produce requests across topics within
   * KAFKA_MAX_REQUEST_BYTES, signed together: a round trip per request, not per topic. Returns
   * the ids of the rows sent or parked. At the first failure it stops: the rows not sent go
   * topic by topic, where a failing topic is found and backs off alone.
   */
  async publish(runner: QueryRunner, group: PendingRow[]): Promise<Set<string>> {
    const handled = new Set<string>();
    const { rows, drafts, unsendable } = draftsOf(group, this.config.contentTypes.localOnly);
    await this.parking.park(runner, unsendable);
    for (const { row } of unsendable) handled.add(row.id);
    if (rows.length === 0) return handled;
    let envelopes: SignedRow[];
    try {
      await this.outcomeTopics.ensure(rows.map((row) => row.topic));
      envelopes = await this.signer.envelopesOf(rows, drafts);
    } catch (error) {
      this.logger.warn(`Outcome topics not ready, sending topic by topic: ${errorMessage(error)}`);
      return handled;
    }
    const sizes = envelopes.map((e) => requestBytes(e.key, e.encoded));
    const plan = planRequests(sizes, this.config.maxRequestBytes);
    await this.parking.park(
      runner,
      tooLarge(rows, sizes, plan.parked, this.config.maxRequestBytes),
    );
    for (const i of plan.parked) handled.add(rows[i].id);
    for (const request of plan.requests) {
      if (!(await this.sendRequest(runner, rows, envelopes, request))) return handled;
      for (const i of request) handled.add(rows[i].id);
    }
    return handled;
  }

  /** One request's rows to their topics, marked sent; false (logged) when the request failed. */
  private async sendRequest(
    runner: QueryRunner,
    rows: PendingRow[],
    envelopes: SignedRow[],
    request: number[],
  ): Promise<boolean> {
    const byTopic = new Map<string, SignedRow[]>();
    for (const i of request) {
      const list = byTopic.get(rows[i].topic) ?? [];
      list.push(envelopes[i]);
      byTopic.set(rows[i].topic, list);
    }
    try {
      await this.publisher.publishBatch(
        [...byTopic].map(([topic, list]) => ({ topic, envelopes: list })),
      );
    } catch (error) {
      this.logger.warn(
        `A request to ${byTopic.size} outcome topics failed, sending topic by topic: ${errorMessage(error)}`,
      );
      return false;
    }
    await markSent(
      runner,
      request.map((i) => rows[i].id),
    );
    return true;
  }
}
