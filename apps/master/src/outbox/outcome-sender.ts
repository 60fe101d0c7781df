import { Injectable } from '@nestjs/common';
import type { ChangeOutcomeDto, ChangeOutcomesPayloadDto } from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import { outcomeEnvelopes } from './outcome-envelopes';
import { OutboxWriter } from './outbox-writer';
import { OutcomeTopics } from './outcome-topics';

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
      for (const envelope of outcomeEnvelopes(outcomes)) {
        const payload: ChangeOutcomesPayloadDto = { shipId, outcomes: envelope };
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
