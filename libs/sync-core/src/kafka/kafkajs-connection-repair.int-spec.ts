import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { Kafka, logLevel, type Consumer, type LogEntry } from 'kafkajs';
import { startLinkedKafka, type LinkedKafka } from '../../../../test/harness/linked-kafka';
import { createTopics, uniqueName, waitFor } from '../../../../test/harness/test-infra';
import { repairKafkajsConnections } from './kafkajs-connection-repair';

const MESSAGES = 40;
const MESSAGE_BYTES = 10_000;

/**
 * A kafkajs consumer on a slow link (16,000 bytes/s, a satellite's) whose link resets while a
 * fetch response is half received. TCP delivers nothing of a reset connection, so the consumer
 * must read every message once it reconnects, and the process must survive. kafkajs keeps a
 * connection's half-read response across a reconnect: the new socket's bytes are framed after the
 * stale ones, the fetch connection reads garbage (a response "without match", then sizes that
 * never arrive or fall out of the buffer) unless repaired (kafkajs-connection-repair.ts).
 */
describe('kafkajs across a link reset in the middle of a fetch response (own broker + link)', () => {
  let kafka: LinkedKafka | undefined;
  let consumer: Consumer | undefined;

  beforeAll(() => repairKafkajsConnections());

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await kafka?.stop();
  });

  it('reads every message after the reset, with no response out of frame', async () => {
    kafka = await startLinkedKafka(['slow']);
    const link = kafka.links.slow;
    const topic = uniqueName('half-read');
    await createTopics([kafka.brokers], [{ topic, numPartitions: 1 }]);
    const direct = new Kafka({ brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
    const producer = direct.producer();
    await producer.connect();
    // Incompressible values, one batch each, so a fetch response is as large as its messages and
    // holds about maxBytesPerPartition of them.
    for (let i = 0; i < MESSAGES; i += 1) {
      await producer.send({
        topic,
        messages: [{ key: String(i), value: randomBytes(MESSAGE_BYTES) }],
      });
    }
    await producer.disconnect();

    const unmatched: LogEntry[] = [];
    const client = new Kafka({
      clientId: uniqueName('slow-client'),
      brokers: [link.brokers],
      requestTimeout: 30_000,
      retry: { initialRetryTime: 1000, maxRetryTime: 2000 },
      logCreator: () => (entry) => {
        if (entry.log.message === 'Response without match') unmatched.push(entry);
      },
    });
    consumer = client.consumer({
      groupId: uniqueName('half-read'),
      maxBytesPerPartition: 128 * 1024,
      sessionTimeout: 10_000,
    });
    const offsets = new Set<string>();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });

    link.proxy.shape({ bandwidthBytesPerSec: 16_000 });
    // The link forwards a chunk whole once its transmission time has passed, and takes the next
    // one from the broker when the link is free again: when a second large chunk of the fetch
    // response enters, the first has just crossed, and the second takes seconds. Reset then.
    let largeChunks = 0;
    let resetScheduled = false;
    const stopTap = link.proxy.tap((direction, chunk) => {
      if (direction !== 'down' || chunk.length < 10_000 || resetScheduled) return;
      largeChunks += 1;
      if (largeChunks < 2) return;
      resetScheduled = true;
      setTimeout(() => {
        link.proxy.cut();
        link.proxy.shape({ bandwidthBytesPerSec: 0 });
        link.proxy.restore();
      }, 500);
    });
    await consumer.run({
      eachMessage: ({ message }) => {
        offsets.add(message.offset);
        return Promise.resolve();
      },
    });

    await waitFor(() => resetScheduled, { timeoutMs: 60_000, description: 'a fetch response' });
    stopTap();
    await waitFor(() => offsets.size === MESSAGES, {
      timeoutMs: 90_000,
      intervalMs: 200,
      description: `all ${MESSAGES} messages read after the reset`,
    });
    expect(unmatched).toEqual([]);
  });
});

/**
 * A peer that answers every request with a frame kafkajs cannot read (a response of size 0, so
 * no correlation id): the client must see a connection error, and the process must go on.
 */
describe('kafkajs reading a response out of frame', () => {
  let server: Server | undefined;

  beforeAll(() => repairKafkajsConnections());

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('fails the connection instead of throwing out of the socket', async () => {
    server = createServer((socket) => {
      socket.on('error', () => socket.destroy());
      socket.once('data', () => socket.write(Buffer.alloc(4)));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const admin = new Kafka({
      brokers: [`127.0.0.1:${address.port}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await expect(admin.connect()).rejects.toThrow(/out of frame/);
    await admin.disconnect();
  });
});
