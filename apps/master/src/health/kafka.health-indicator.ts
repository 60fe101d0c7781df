import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { KafkaAdmin } from './kafka-admin';
import { errorMessage } from '@offline-sync/sync-core';

/** Kafka answers a metadata request: without it the master neither ingests nor publishes. */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly kafka: KafkaAdmin,
  ) {}

  async check(key = 'kafka'): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    try {
      const cluster = await this.kafka.run((admin) => admin.describeCluster());
      return session.up({ brokers: cluster.brokers.length });
    } catch (error) {
      return session.down({ message: errorMessage(error) });
    }
  }
}
