import { Inject, Injectable } from '@nestjs/common';
import { ensureTopics, outcomeTopicConfig, outcomesTopicFor } from '@offline-sync/sync-core';
import { Kafka } from 'kafkajs';
import { MasterConfig } from '../core/config/master-config';

/** Creates each ship's outcome topic before the first send to it (once per process). */
@Injectable()
export class OutcomeTopics {
  private readonly known = new Set<string>();

  constructor(@Inject(MasterConfig) private readonly config: MasterConfig) {}

  topicFor(shipId: string): string {
    return outcomesTopicFor(this.config.topics, shipId);
  }

  async ensure(topics: string[]): Promise<void> {
    const missing = topics.filter((topic) => !this.known.has(topic));
    if (missing.length === 0) return;
    await ensureTopics(
      new Kafka(this.config.kafka),
      missing.map((topic) => ({
        topic,
        numPartitions: 1,
        config: outcomeTopicConfig(this.config.retention.days),
      })),
    );
    for (const topic of missing) this.known.add(topic);
  }
}
