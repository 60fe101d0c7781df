import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { DeadLetterEntry } from './dead-letter-sink';
import type { IncomingKafkaBatch } from './incoming-kafka-message';
import { KafkaBatchServer, type KafkaBatchServerOptions } from './kafka-batch.server';
import { PermanentMessageError } from './message-failure';

const TOPIC = 'updates';

function message(offset: number, value: unknown = { n: offset }): KafkaMessage {
  return {
    offset: String(offset),
    key: null,
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    timestamp: '0',
    attributes: 0,
    headers: {},
  };
}

interface FakeBatch {
  payload: EachBatchPayload;
  resolved: string[];
  commits: string[];
  stop(): void;
}

function fakeBatch(messages: KafkaMessage[]): FakeBatch {
  const resolved: string[] = [];
  const commits: string[] = [];
  let running = true;
  const payload = {
    batch: { topic: TOPIC, partition: 0, highWatermark: '1000', messages },
    resolveOffset: (offset: string) => resolved.push(offset),
    heartbeat: () => Promise.resolve(),
    isRunning: () => running,
    isStale: () => false,
    commitOffsetsIfNecessary: (offsets: { topics: { partitions: { offset: string }[] }[] }) => {
      commits.push(offsets.topics[0].partitions[0].offset);
      return Promise.resolve();
    },
  } as unknown as EachBatchPayload;
  return { payload, resolved, commits, stop: () => (running = false) };
}

function server(
  options: Partial<KafkaBatchServerOptions>,
  handler: (batch: IncomingKafkaBatch) => Promise<void>,
  deadLetters: DeadLetterEntry[] = [],
): KafkaBatchServer {
  const instance = new KafkaBatchServer({
    kafka: { brokers: ['unused:9092'] },
    groupId: 'test',
    topics: { pattern: TOPIC },
    deadLetters: {
      store: (entry) => {
        deadLetters.push(entry);
        return Promise.resolve();
      },
    },
    retry: { initialDelayMs: 1, maxDelayMs: 1 },
    ...options,
  });
  instance.addHandler('pattern', (data: IncomingKafkaBatch) => handler(data), true);
  return instance;
}

function handle(instance: KafkaBatchServer, payload: EachBatchPayload): Promise<void> {
  return (instance as unknown as { handleBatch(p: EachBatchPayload): Promise<void> }).handleBatch(
    payload,
  );
}

const offsetsOf = (batch: IncomingKafkaBatch): string[] => batch.messages.map((m) => m.offset);

describe('KafkaBatchServer', () => {
  it('hands the whole fetched batch over at once by default', async () => {
    const seen: string[][] = [];
    const instance = server({}, (batch) => {
      seen.push(offsetsOf(batch));
      return Promise.resolve();
    });
    const fake = fakeBatch([0, 1, 2, 3, 4].map((o) => message(o)));
    await handle(instance, fake.payload);
    expect(seen).toEqual([['0', '1', '2', '3', '4']]);
    expect(fake.commits).toEqual(['5']);
  });

  it('hands a large batch over in slices of maxMessagesPerDispatch, in order, and commits once', async () => {
    const seen: string[][] = [];
    const instance = server({ maxMessagesPerDispatch: 2 }, (batch) => {
      seen.push(offsetsOf(batch));
      return Promise.resolve();
    });
    const fake = fakeBatch([10, 11, 12, 13, 14].map((o) => message(o)));
    await handle(instance, fake.payload);
    expect(seen).toEqual([['10', '11'], ['12', '13'], ['14']]);
    expect(fake.resolved).toEqual(['11', '13', '14']);
    expect(fake.commits).toEqual(['15']);
  });

  it('dead-letters a poison message within its slice and goes on with the next slices', async () => {
    const seen: string[][] = [];
    const deadLetters: DeadLetterEntry[] = [];
    const instance = server(
      { maxMessagesPerDispatch: 2 },
      (batch) => {
        if (batch.messages.some((m) => (m.value as { bad?: boolean }).bad)) {
          return Promise.reject(new PermanentMessageError('invalid-message', 'bad'));
        }
        seen.push(offsetsOf(batch));
        return Promise.resolve();
      },
      deadLetters,
    );
    const fake = fakeBatch([message(0), message(1, { bad: true }), message(2), message(3, 'x{')]);
    await handle(instance, fake.payload);
    expect(seen).toEqual([['0'], ['2']]);
    expect(deadLetters.map((d) => [d.offset, d.reason])).toEqual([
      ['1', 'invalid-message'],
      ['3', 'malformed'],
    ]);
    expect(fake.commits).toEqual(['4']);
  });

  it('stops after the slice in hand when the consumer stops, and commits what was stored', async () => {
    const seen: string[][] = [];
    let fake: FakeBatch | null = null;
    const instance = server({ maxMessagesPerDispatch: 2 }, (batch) => {
      seen.push(offsetsOf(batch));
      fake?.stop();
      return Promise.resolve();
    });
    fake = fakeBatch([0, 1, 2, 3, 4].map((o) => message(o)));
    await handle(instance, fake.payload);
    expect(seen).toEqual([['0', '1']]);
    expect(fake.commits).toEqual(['2']);
  });
});
