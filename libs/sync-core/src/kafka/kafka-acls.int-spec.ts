/**
 * Kafka ACLs as k8s/README.md lists them (npm run kafka-acls prints them from syncKafkaAcls),
 * created through kafkajs's admin API on a broker that authorizes every request with KRaft's
 * StandardAuthorizer. Each principal does what the apps do, with the apps' producer settings,
 * topic names and consumer groups: the master creates its topics and writes master-updates and
 * the outcome topics; a ship writes ship-updates and heartbeats and reads master-updates and its
 * own outcome topic; a ship may not write master-updates nor read another ship's outcomes.
 */
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type Consumer,
  type Producer,
} from 'kafkajs';
import {
  startAuthorizingKafka,
  stopOwnKafka,
  uniqueName,
  waitFor,
  type AuthorizingKafkaBroker,
} from '../../../../test/harness/test-infra';
import { KafkaEnv, kafkaTopicNames } from '../config/kafka.env';
import { validateEnv } from '../config/validate-env';
import { masterConsumerGroupId, shipConsumerGroupId } from './consumer-groups';
import { ENVELOPE_PRODUCER_CONFIG } from './envelope-publisher';
import { KeyHashPartitioner } from './key-hash.partitioner';
import { kafkaJsAclEntries, syncKafkaAcls } from './sync-acls';
import { outcomesTopicFor } from './sync-topics';
import { ensureTopics } from './topic-admin';

const USERS = {
  master: 'master-secret-5a9c',
  'ship-a': 'ship-a-secret-0e72',
  'ship-b': 'ship-b-secret-c4d8',
};

interface KafkaJsError {
  type?: string;
  message?: string;
  cause?: KafkaJsError;
  errors?: KafkaJsError[];
}

/** The broker's error code a kafkajs call was refused with (kafkajs wraps it in retries or lists). */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const typeOf = (error: KafkaJsError | undefined): string | undefined =>
    error === undefined
      ? undefined
      : (error.type ?? typeOf(error.cause) ?? typeOf(error.errors?.[0]) ?? error.message);
  return promise.then(
    () => 'not refused',
    (error: KafkaJsError) => typeOf(error) ?? 'refused without a reason',
  );
}

describe('Kafka ACLs on a broker with the StandardAuthorizer', () => {
  let broker: AuthorizingKafkaBroker | undefined;
  const topics = kafkaTopicNames(validateEnv(KafkaEnv, {}));
  const outcomesA = outcomesTopicFor(topics, 'ship-a');
  const outcomesB = outcomesTopicFor(topics, 'ship-b');
  const clients: { disconnect(): Promise<void> }[] = [];

  const kafkaAs = (user: keyof typeof USERS): Kafka =>
    new Kafka({
      clientId: `acl-${user}`,
      brokers: broker!.brokers,
      sasl: broker!.sasl(user),
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 100 },
    });
  const producerAs = async (user: keyof typeof USERS): Promise<Producer> => {
    // The apps' producer: idempotent, which needs no cluster permission next to a topic Write.
    const producer = kafkaAs(user).producer({
      ...ENVELOPE_PRODUCER_CONFIG,
      createPartitioner: KeyHashPartitioner,
    });
    clients.push(producer);
    await producer.connect();
    return producer;
  };
  const send = (producer: Producer, topic: string, key: string): Promise<unknown> =>
    producer.send({ topic, acks: -1, messages: [{ key, value: `${key} on ${topic}` }] });

  /** Reads `subscribed` with `groupId` until `count` messages came; rejects when it crashes. */
  const read = async (
    user: keyof typeof USERS,
    groupId: string,
    subscribed: string[],
    count: number,
  ): Promise<string[]> => {
    const consumer: Consumer = kafkaAs(user).consumer({ groupId, maxWaitTimeInMs: 200 });
    clients.push(consumer);
    const values: string[] = [];
    const seen: { crash?: Error } = {};
    // A crash kafkajs does not restart from: a refusal, not a broker still warming up.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) seen.crash ??= payload.error;
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: subscribed, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          values.push(message.value?.toString() ?? '');
          return Promise.resolve();
        },
      });
      await waitFor(() => seen.crash !== undefined || values.length >= count, {
        timeoutMs: 30_000,
        description: `${count} messages read by ${user}`,
      });
      if (seen.crash) throw seen.crash;
      return values.sort();
    } finally {
      await consumer.disconnect();
    }
  };

  beforeAll(async () => {
    broker = await startAuthorizingKafka(USERS);
    const admin = new Kafka({
      clientId: 'acl-admin',
      brokers: broker.brokers,
      sasl: broker.sasl(),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const acls = kafkaJsAclEntries(
        syncKafkaAcls({
          topics,
          master: 'master',
          ships: [{ shipId: 'ship-a' }, { shipId: 'ship-b' }],
        }),
      );
      await admin.createAcls({ acl: acls });
      // Created through the metadata log: in force once the broker describes them all.
      await waitFor(
        async () => {
          const described = await admin.describeAcls({
            resourceType: AclResourceTypes.ANY,
            resourcePatternType: ResourcePatternTypes.ANY,
            operation: AclOperationTypes.ANY,
            permissionType: AclPermissionTypes.ANY,
          });
          return described.resources.flatMap((r) => r.acls).length === acls.length;
        },
        { timeoutMs: 30_000, description: 'the ACLs in force' },
      );
      // A fresh broker's group coordinator loads its topic first: wait for it here, so that
      // "coordinator is loading" never reaches a test.
      await waitFor(
        async () => (await admin.describeGroups([masterConsumerGroupId()])).groups.length === 1,
        { timeoutMs: 30_000, description: 'the group coordinator loaded' },
      );
    } finally {
      await admin.disconnect();
    }
  });

  afterAll(async () => {
    for (const client of clients) await client.disconnect().catch(() => undefined);
    if (broker) await stopOwnKafka(broker.dataDir);
  });

  it('lets a ship create its own outcome topic, not another ship’s', async () => {
    await expect(ensureTopics(kafkaAs('ship-a'), [{ topic: outcomesA }])).resolves.toEqual([
      outcomesA,
    ]);
    expect(await refusal(ensureTopics(kafkaAs('ship-a'), [{ topic: outcomesB }]))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });

  it('lets the master create its topics and write master-updates and every outcome topic', async () => {
    // As the master does at start-up, and for a ship's outcome topic before its first send.
    await ensureTopics(kafkaAs('master'), [
      { topic: topics.shipUpdates, numPartitions: 2 },
      { topic: topics.heartbeats },
      { topic: topics.masterUpdates, config: { 'cleanup.policy': 'compact' } },
      { topic: outcomesB },
    ]);
    const master = await producerAs('master');
    await send(master, topics.masterUpdates, 'article:1:en');
    await send(master, outcomesA, 'ship-a');
    await send(master, outcomesB, 'ship-b');
  });

  it('lets a ship write ship-updates and heartbeats, and the master read them with its group', async () => {
    const shipA = await producerAs('ship-a');
    await send(shipA, topics.shipUpdates, 'ship-a');
    await send(shipA, topics.heartbeats, 'ship-a');
    expect(
      await read('master', masterConsumerGroupId(), [topics.shipUpdates, topics.heartbeats], 2),
    ).toEqual([`ship-a on ${topics.heartbeats}`, `ship-a on ${topics.shipUpdates}`]);
  });

  it('lets a ship read master-updates and its own outcome topic with its own group', async () => {
    expect(
      await read('ship-a', shipConsumerGroupId('ship-a'), [topics.masterUpdates, outcomesA], 2),
    ).toEqual([`article:1:en on ${topics.masterUpdates}`, `ship-a on ${outcomesA}`]);
  });

  it('refuses a ship writing master-updates or outcomes, reading another ship’s outcomes, using another’s group', async () => {
    const shipA = await producerAs('ship-a');
    for (const topic of [topics.masterUpdates, outcomesA, outcomesB]) {
      expect(await refusal(send(shipA, topic, 'forged'))).toBe('TOPIC_AUTHORIZATION_FAILED');
    }
    expect(await refusal(read('ship-a', shipConsumerGroupId('ship-a'), [outcomesB], 1))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    // The broker answers GROUP_AUTHORIZATION_FAILED to FindCoordinator; kafkajs reports it as
    // a coordinator it could not find.
    expect(
      await refusal(read('ship-a', shipConsumerGroupId('ship-b'), [topics.masterUpdates], 1)),
    ).toBe('Failed to find group coordinator');
  });

  it('gives a group only to its ship (a unique group name is refused too)', async () => {
    expect(await refusal(read('ship-a', uniqueName('stray'), [topics.masterUpdates], 1))).toBe(
      'Failed to find group coordinator',
    );
  });
});
