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
        const led = await createOutcomeTopics(admin, batch, this.config.retention.days);
        if (!led) {
          this.logger.warn(
            `Leaders of ${batch.length} new outcome topics not known after ${LEADER_WAIT_MS} ms`,
          );
        }
        for (const topic of batch) this.known.add(topic);
      }
    } catch (error) {
      // A connection in an unknown state is not reused.
      this.admin = null;
      await admin.disconnect().catch(() => undefined);
      throw error;
    }
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

/**
 * Creates the topics (those that exist already are left as they are) and waits until each has a
 * leader: a topic another replica or the ship created a moment ago may not be led yet either.
 * False when a leader is still unknown after `waitMs`; the send is then tried anyway and the
 * producer's retries cover it.
 */
export async function createOutcomeTopics(
  admin: Pick<Admin, 'createTopics' | 'fetchTopicMetadata'>,
  topics: string[],
  retentionDays: number,
  waitMs = LEADER_WAIT_MS,
): Promise<boolean> {
  await admin.createTopics({
    waitForLeaders: false,
    topics: topics.map((topic) => ({
      topic,
      numPartitions: 1,
      replicationFactor: -1,
      configEntries: Object.entries(outcomeTopicConfig(retentionDays)).map(([name, value]) => ({
        name,
        value,
      })),
    })),
  });
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const led = metadata.every(
        (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
      );
      if (led) return true;
    } catch {
      // not known yet
    }
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
