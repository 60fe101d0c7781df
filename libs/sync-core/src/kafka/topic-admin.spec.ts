import type { Kafka } from 'kafkajs';
import { ensureTopics } from './topic-admin';

/** What kafkajs throws for Kafka's UNKNOWN_TOPIC_OR_PARTITION: a retriable protocol error. */
function notHostedYet(): Error {
  return Object.assign(new Error('This server does not host this topic-partition'), {
    name: 'KafkaJSProtocolError',
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
    retriable: true,
  });
}

/** A broker's admin API that refuses the first `failures` creations with `error`. */
function brokerRefusing(failures: number, error: () => Error) {
  const created: string[][] = [];
  let refused = 0;
  const kafka = {
    admin: () => ({
      connect: () => Promise.resolve(),
      disconnect: () => Promise.resolve(),
      listTopics: () => Promise.resolve([]),
      createTopics: ({ topics }: { topics: { topic: string }[] }) => {
        if (refused < failures) {
          refused += 1;
          return Promise.reject(error());
        }
        created.push(topics.map((t) => t.topic));
        return Promise.resolve(true);
      },
    }),
  } as unknown as Kafka;
  return { kafka, created, refused: () => refused };
}

describe('ensureTopics on a broker that does not know a topic it just created', () => {
  it('tries again on a retriable error and creates the topics', async () => {
    const broker = brokerRefusing(2, notHostedYet);
    await expect(ensureTopics(broker.kafka, [{ topic: 'ship-updates' }])).resolves.toEqual([
      'ship-updates',
    ]);
    expect(broker.refused()).toBe(2);
    expect(broker.created).toEqual([['ship-updates']]);
  });

  it('gives up on an error that is not retriable', async () => {
    const denied = () =>
      Object.assign(new Error('Topic authorization failed'), { retriable: false });
    const broker = brokerRefusing(1, denied);
    await expect(ensureTopics(broker.kafka, [{ topic: 'ship-updates' }])).rejects.toThrow(
      'Topic authorization failed',
    );
    expect(broker.created).toEqual([]);
  });
});
