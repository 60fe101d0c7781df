import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { outcomeTopicConfig, outcomesTopicFor } from '@offline-sync/sync-core';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { MasterConfig } from '../core/config/master-config';

/** Topics per CreateTopics request. */
const CREATE_BATCH = 200;
/** How long a new topic's leader may take to be known before a send is tried anyway. */
const LEADER_WAIT_MS = 10_000;

/**
 * Creates each ship's outcome topic before the first send to it (once per process): the topics a
 * relay pass is about to send to, in one request, over one admin connection kept open. A fleet
 * has thousands of them, so nothing here lists or describes every topic of the cluster.
 */
@Injectable()
export class OutcomeTopics implements OnApplicationShutdown {
  private readonly logger = new Logger(OutcomeTopics.name);
  private readonly known = new Set<string>();
  private admin: Admin | null = null;

  constructor(@Inject(MasterConfig) private readonly config: MasterConfig) {}

  topicFor(shipId: string): string {
    return outcomesTopicFor(this.config.topics, shipId);
  }

  async ensure(topics: string[]): Promise<void> {
    const missing = [...new Set(topics)].filter((topic) => !this.known.has(topic));
    if (missing.length === 0) return;
    const admin = await this.connect();
    try {
      for (let i = 0; i < missing.length; i += CREATE_BATCH) {
        const batch = missing.slice(i, i + CREATE_BATCH);
        // false when they all existed already (a replica or the ship made them): just as good.
        const created = await admin.createTopics({
          waitForLeaders: false,
          topics: batch.map((topic) => ({
            topic,
            numPartitions: 1,
            replicationFactor: -1,
            configEntries: Object.entries(outcomeTopicConfig(this.config.retention.days)).map(
              ([name, value]) => ({ name, value }),
            ),
          })),
        });
        if (created) await this.untilLed(admin, batch);
        for (const topic of batch) this.known.add(topic);
      }
    } catch (error) {
      // A connection in an unknown state is not reused.
      this.admin = null;
      await admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Until every new topic has a leader (the broker's metadata may not list a topic created a
   * moment ago); past LEADER_WAIT_MS the send is tried anyway and the producer's retries cover it.
   */
  private async untilLed(admin: Admin, topics: string[]): Promise<void> {
    const until = Date.now() + LEADER_WAIT_MS;
    while (Date.now() < until) {
      try {
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
        if (
          metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
        ) {
          return;
        }
      } catch {
        // not known yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.logger.warn(
      `Leaders of ${topics.length} new outcome topics not known after ${LEADER_WAIT_MS} ms`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }

  private async connect(): Promise<Admin> {
    if (this.admin) return this.admin;
    const admin = new Kafka({ logLevel: logLevel.NOTHING, ...this.config.kafka }).admin();
    await admin.connect();
    this.admin = admin;
    return admin;
  }
}
