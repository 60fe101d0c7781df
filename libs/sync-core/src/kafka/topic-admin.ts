import type { ITopicConfig, Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  /** Topic-level settings, e.g. `{ 'cleanup.policy': 'compact' }`. */
  config?: Record<string, string>;
}

/**
 * Creates the topics that do not exist yet. Existing topics are left as they are: partition
 * counts and retention of a running deployment are the operators' to change.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing: ITopicConfig[] = specs
      .filter((spec) => !existing.has(spec.topic))
      .map((spec) => ({
        topic: spec.topic,
        numPartitions: spec.numPartitions ?? 1,
        replicationFactor: -1,
        configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
      }));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    }
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}
