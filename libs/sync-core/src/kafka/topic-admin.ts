import {
  ConfigResourceTypes,
  ConfigSource,
  type Admin,
  type ITopicConfig,
  type Kafka,
} from 'kafkajs';
import { handleWhen, retry } from 'cockatiel';
import { exponentialBackoff } from '../retry/backoff';

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  /** Topic-level settings for a new topic, e.g. `{ 'cleanup.policy': 'compact' }`. */
  config?: Record<string, string>;
  /**
   * Settings the protocol relies on (not tuning): set on a new topic, and brought to these values
   * on an existing one too.
   */
  required?: Record<string, string>;
}

/**
 * Creates the topics that do not exist yet, and brings the `required` settings of existing ones
 * to their values. Anything else of an existing topic is left as it is: partition counts and
 * retention of a running deployment are the operators' to change. Returns the topics created.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<string[]> {
  return TOPIC_ADMIN_RETRY.execute(() => ensureTopicsOnce(kafka, specs));
}

/**
 * A broker that has just created a topic may still answer that it does not host it (Kafka's
 * retriable errors, which kafkajs leaves to the caller here): the whole step is tried again, and a
 * start-up then waits instead of failing.
 */
const TOPIC_ADMIN_RETRY = retry(
  handleWhen((error) => (error as { retriable?: unknown }).retriable === true),
  { maxAttempts: 5, backoff: exponentialBackoff({ initialMs: 200, maxMs: 3000 }) },
);

async function ensureTopicsOnce(kafka: Kafka, specs: TopicSpec[]): Promise<string[]> {
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
        configEntries: Object.entries({ ...spec.config, ...spec.required }).map(
          ([name, value]) => ({ name, value }),
        ),
      }));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    }
    await reconcileRequired(
      admin,
      specs.filter((spec) => existing.has(spec.topic) && spec.required),
    );
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Sets the required settings an existing topic lacks. Kafka's AlterConfigs replaces a topic's
 * whole set of its own settings, so the ones it has are sent along unchanged.
 */
async function reconcileRequired(admin: Admin, specs: TopicSpec[]): Promise<void> {
  if (specs.length === 0) return;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((spec) => ({ type: ConfigResourceTypes.TOPIC, name: spec.topic })),
  });
  const resources = [];
  for (const spec of specs) {
    const current = described.resources.find((r) => r.resourceName === spec.topic);
    if (!current) continue;
    const own = new Map(
      current.configEntries
        .filter((entry) => entry.configSource === ConfigSource.TOPIC_CONFIG)
        .map((entry) => [entry.configName, entry.configValue]),
    );
    const values = new Map(current.configEntries.map((e) => [e.configName, e.configValue]));
    const lacking = Object.entries(spec.required ?? {}).filter(
      ([name, value]) => values.get(name) !== value,
    );
    if (lacking.length === 0) continue;
    for (const [name, value] of lacking) own.set(name, value);
    resources.push({
      type: ConfigResourceTypes.TOPIC,
      name: spec.topic,
      configEntries: [...own].map(([name, value]) => ({ name, value })),
    });
  }
  if (resources.length > 0) await admin.alterConfigs({ validateOnly: false, resources });
}
