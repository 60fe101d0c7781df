import { ConfigResourceTypes } from 'kafkajs';
import {
  createKafka,
  createTopics,
  kafkaBrokers,
  uniqueName,
} from '../../../../test/harness/test-infra';
import { ensureTopics } from './topic-admin';

/** Topic creation and the settings the protocol relies on, on a real broker. */
describe('ensureTopics (real Kafka)', () => {
  const kafka = createKafka('topic-admin-test');

  async function settings(topic: string): Promise<Map<string, string>> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
      });
      return new Map(resources[0].configEntries.map((e) => [e.configName, e.configValue]));
    } finally {
      await admin.disconnect();
    }
  }

  it('creates a missing topic with its settings and the required ones', async () => {
    const topic = uniqueName('ensure-new');
    const created = await ensureTopics(kafka, [
      {
        topic,
        config: { 'retention.ms': '3600000' },
        required: { 'message.timestamp.type': 'LogAppendTime' },
      },
    ]);
    expect(created).toEqual([topic]);
    const found = await settings(topic);
    expect(found.get('retention.ms')).toBe('3600000');
    expect(found.get('message.timestamp.type')).toBe('LogAppendTime');
  });

  it('brings the required settings of an existing topic to their values, keeping its others', async () => {
    const topic = uniqueName('ensure-old');
    await createTopics(kafkaBrokers(), [
      { topic, configEntries: [{ name: 'retention.ms', value: '7200000' }] },
    ]);
    expect((await settings(topic)).get('message.timestamp.type')).toBe('CreateTime');
    const created = await ensureTopics(kafka, [
      {
        topic,
        config: { 'retention.ms': '60000' },
        required: { 'message.timestamp.type': 'LogAppendTime' },
      },
    ]);
    expect(created).toEqual([]);
    const found = await settings(topic);
    expect(found.get('message.timestamp.type')).toBe('LogAppendTime');
    // An operator's setting stays: only what the protocol relies on is changed.
    expect(found.get('retention.ms')).toBe('7200000');
    // Already right: nothing to do, nothing changes.
    await ensureTopics(kafka, [{ topic, required: { 'message.timestamp.type': 'LogAppendTime' } }]);
    expect((await settings(topic)).get('retention.ms')).toBe('7200000');
  });
});
