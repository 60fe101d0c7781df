import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { MasterConfig } from '../core/config/master-config';
import { KafkaAdmin } from './kafka-admin';
import { errorMessage } from '@offline-sync/sync-core';

/**
 * Messages on ship-updates and heartbeats the master's consumer group has not committed yet.
 * Reported, never a reason to go down: after a fleet reconnects a backlog is normal.
 */
@Injectable()
export class ConsumerLagHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly kafka: KafkaAdmin,
    private readonly config: MasterConfig,
  ) {}

  async check(key = 'consumerLag'): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    const topics = [this.config.topics.shipUpdates, this.config.topics.heartbeats];
    try {
      const byTopic = await this.kafka.run(async (admin) => {
        const committed = await admin.fetchOffsets({
          groupId: this.config.consumerGroupId,
          topics,
        });
        const lag: Record<string, number> = {};
        for (const topic of topics) {
          const ends = await admin.fetchTopicOffsets(topic);
          const done = new Map(
            (committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [
              p.partition,
              BigInt(p.offset),
            ]),
          );
          let behind = 0n;
          for (const end of ends) {
            // -1: nothing committed yet, so everything from the low watermark is still to read.
            const next = done.get(end.partition) ?? -1n;
            const from = next < 0n ? BigInt(end.low) : next;
            if (BigInt(end.high) > from) behind += BigInt(end.high) - from;
          }
          lag[topic] = Number(behind);
        }
        return lag;
      });
      const total = Object.values(byTopic).reduce((sum, n) => sum + n, 0);
      return session.up({ total, byTopic });
    } catch (error) {
      return session.down({ message: errorMessage(error) });
    }
  }
}
