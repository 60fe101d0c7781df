import { Kafka, logLevel } from 'kafkajs';
import {
  createTopics,
  kafkaBrokers,
  uniqueName,
  waitFor,
} from '../../../../test/harness/test-infra';
import { generateSigningKeyPair } from '../envelope/signing-keys';
import { signEnvelope } from '../envelope/envelope-signer';
import { MessageKind } from '../contracts/message-kind.enum';
import { ThreadedEnvelopePublisher } from './threaded-envelope-publisher';

/** The producer on its own thread, against the real broker: what it sends arrives as sent. */
describe('ThreadedEnvelopePublisher (real Kafka)', () => {
  const brokers = kafkaBrokers();
  const topic = uniqueName('threaded-publisher', '.');
  const publishers: ThreadedEnvelopePublisher[] = [];
  const publisher = (kafkaBrokers = brokers): ThreadedEnvelopePublisher => {
    const created = new ThreadedEnvelopePublisher({
      kafka: {
        brokers: kafkaBrokers,
        clientId: 'threaded-test',
        connectionTimeout: 1000,
        retry: { retries: 1 },
      },
      compression: 'gzip',
      sendTimeoutMs: 5000,
      kafkaLogLevel: logLevel.NOTHING,
    });
    publishers.push(created);
    return created;
  };

  beforeAll(() => createTopics(brokers, [{ topic, numPartitions: 1 }]));
  afterAll(() => Promise.all(publishers.map((p) => p.close())));

  it('delivers stored and freshly signed envelopes, in order, with their keys', async () => {
    const { privateKey } = generateSigningKeyPair();
    const signed = signEnvelope(
      { sender: 'ship-t', kind: MessageKind.Heartbeat, payload: { shipId: 'ship-t' } as never },
      privateKey,
    );
    const stored = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ n: i, text: 'é'.repeat(i) }),
    );
    const sending = publisher();
    await sending.publish(topic, [
      ...stored.map((encoded) => ({ key: 'ship-t', encoded })),
      { key: 'ship-t', envelope: signed },
    ]);

    const kafka = new Kafka({
      brokers,
      clientId: 'threaded-test-reader',
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: uniqueName('threaded-reader') });
    const received: { key: string; value: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        received.push({ key: String(message.key), value: String(message.value) });
        return Promise.resolve();
      },
    });
    try {
      await waitFor(() => received.length >= 51, { timeoutMs: 30_000, description: 'all 51' });
    } finally {
      await consumer.disconnect();
    }
    expect(received.map((m) => m.key)).toEqual(Array(51).fill('ship-t'));
    expect(received.slice(0, 50).map((m) => m.value)).toEqual(stored);
    expect(JSON.parse(received[50].value)).toEqual(signed);
  });

  it('fails a send the broker cannot take, and sends again after a disconnect', async () => {
    const sending = publisher();
    await expect(
      sending.publish(uniqueName('no-such-topic', '.'), [{ key: 'k', encoded: '{}' }]),
    ).rejects.toThrow();
    await sending.disconnect();
    await sending.publish(topic, [{ key: 'k', encoded: '{"again":true}' }]);
  });

  it('fails when no broker answers', async () => {
    await expect(
      publisher(['127.0.0.1:1']).publish(topic, [{ key: 'k', encoded: '{}' }]),
    ).rejects.toThrow();
  });
});
