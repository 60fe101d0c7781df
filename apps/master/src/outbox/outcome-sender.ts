import { Injectable } from '@nestjs/common';
import type { ChangeOutcomeDto, ChangeOutcomesPayloadDto } from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from './outbox-writer';
import { OutcomeTopics } from './outcome-topics';

/** Outcomes per envelope: well under the contract's limit and a broker's message size. */
const OUTCOMES_PER_ENVELOPE = 1000;

/** Queues outcomes for their ships' own outcome topics, in the caller's transaction. */
@Injectable()
export class OutcomeSender {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly topics: OutcomeTopics,
  ) {}

  async queue(manager: EntityManager, byShip: Map<string, ChangeOutcomeDto[]>): Promise<void> {
    const entries = [];
    for (const [shipId, outcomes] of byShip) {
      for (let i = 0; i < outcomes.length; i += OUTCOMES_PER_ENVELOPE) {
        const payload: ChangeOutcomesPayloadDto = {
          shipId,
          outcomes: outcomes.slice(i, i + OUTCOMES_PER_ENVELOPE),
        };
        entries.push({
          kind: 'change-outcomes' as const,
          topic: this.topics.topicFor(shipId),
          key: shipId,
          payload,
        });
      }
    }
    await this.outbox.add(manager, entries);
  }
}
