import type { Admin, ITopicMetadata } from 'kafkajs';
import { createOutcomeTopics } from './outcome-topics';

/** An admin whose topics exist already (another replica made them) and get a leader late. */
function adminLedAfter(metadataCalls: number, created = false) {
  let calls = 0;
  const createTopics = jest.fn<
    ReturnType<Admin['createTopics']>,
    Parameters<Admin['createTopics']>
  >(() => Promise.resolve(created));
  const fetchTopicMetadata = jest.fn((options?: { topics: string[] }) => {
    calls += 1;
    if (calls === 1) return Promise.reject(new Error('This server does not host this topic'));
    const leader = calls > metadataCalls ? 0 : -1;
    const topics: ITopicMetadata[] = (options?.topics ?? []).map((name) => ({
      name,
      partitions: [{ partitionId: 0, leader, replicas: [0], isr: [0], partitionErrorCode: 0 }],
    }));
    return Promise.resolve({ topics });
  });
  return { createTopics, fetchTopicMetadata, metadataCalls: () => calls };
}

describe('createOutcomeTopics', () => {
  it('waits for the leader of a topic that another replica created a moment ago', async () => {
    const admin = adminLedAfter(3);
    await expect(createOutcomeTopics(admin, ['p.outcomes.ship-a'], 14)).resolves.toBe(true);
    expect(admin.metadataCalls()).toBe(4);
  });

  it('waits for the leader of a topic it created, with the retention asked for', async () => {
    const admin = adminLedAfter(2, true);
    await expect(createOutcomeTopics(admin, ['p.outcomes.ship-b'], 14)).resolves.toBe(true);
    expect(admin.createTopics.mock.calls[0][0]).toMatchObject({
      waitForLeaders: false,
      topics: [
        {
          topic: 'p.outcomes.ship-b',
          numPartitions: 1,
          configEntries: [{ name: 'retention.ms', value: String(14 * 24 * 3600 * 1000) }],
        },
      ],
    });
  });

  it('gives up waiting after the time given and says so', async () => {
    const admin = adminLedAfter(Number.POSITIVE_INFINITY);
    await expect(createOutcomeTopics(admin, ['p.outcomes.ship-c'], 14, 250)).resolves.toBe(false);
  });
});
