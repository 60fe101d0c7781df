import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { DeadLetterEntry } from './dead-letter-sink';
import type { IncomingKafkaBatch } from './incoming-kafka-message';
import { KafkaBatchServer, type KafkaBatchServerOptions } from './kafka-batch.server';
import { HeldMessageError, PermanentMessageError } from './message-failure';

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
  /** Pauses of the partition, and how many of them were resumed. */
  pauses: number;
  resumes: number;
  stop(): void;
}

function fakeBatch(messages: KafkaMessage[]): FakeBatch {
  const resolved: string[] = [];
  const commits: string[] = [];
  let running = true;
  const fake = { pauses: 0, resumes: 0 };
  const payload = {
    pause: () => {
      fake.pauses += 1;
      return () => {
        fake.resumes += 1;
      };
    },
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
  return Object.assign(fake, { payload, resolved, commits, stop: () => (running = false) });
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

  it("slices a pattern's topic by its own dispatch limits where they are given", async () => {
    const seen: string[][] = [];
    const instance = server(
      { maxMessagesPerDispatch: 2, dispatchLimits: { pattern: { maxMessages: 4 } } },
      (batch) => {
        seen.push(offsetsOf(batch));
        return Promise.resolve();
      },
    );
    const fake = fakeBatch([10, 11, 12, 13, 14].map((o) => message(o)));
    await handle(instance, fake.payload);
    expect(seen).toEqual([['10', '11', '12', '13'], ['14']]);
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

  describe('holding at a message the handler cannot verify yet', () => {
    /** Holds at every message whose value says so (a key the handler lacks, say). */
    const holding = (seen: string[][]) => (batch: IncomingKafkaBatch) => {
      const unverifiable = batch.messages.find((m) => (m.value as { held?: boolean }).held);
      if (unverifiable) {
        return Promise.reject(
          new HeldMessageError(unverifiable.offset, 'unknown-key', 'key 0123456789abcdef'),
        );
      }
      seen.push(offsetsOf(batch));
      return Promise.resolve();
    };

    it('hands over what precedes it, pauses the partition there, and commits nothing past it', async () => {
      const seen: string[][] = [];
      const deadLetters: DeadLetterEntry[] = [];
      const instance = server(
        { maxMessagesPerDispatch: 2, holdRetry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } },
        holding(seen),
        deadLetters,
      );
      // 13 is held; 14 (not JSON) must not be dead-lettered past it, nor 15 applied.
      const fake = fakeBatch([
        message(10),
        message(11),
        message(12),
        message(13, { held: true }),
        message(14, 'x{'),
        message(15),
      ]);
      await handle(instance, fake.payload);
      expect(seen).toEqual([['10', '11'], ['12']]);
      expect(deadLetters).toEqual([]);
      expect(fake.resolved).toEqual(['11', '12']);
      expect(fake.commits).toEqual(['13']);
      expect(fake.pauses).toBe(1);
      expect(instance.heldPartitions()).toEqual([
        expect.objectContaining({
          topic: TOPIC,
          partition: 0,
          offset: '13',
          reason: 'unknown-key',
          detail: 'key 0123456789abcdef',
          attempts: 1,
        }),
      ]);
      await instance.close();
    });

    it('offers it again after the backoff, keeps its since, and ends the hold once it passes', async () => {
      const seen: string[][] = [];
      const instance = server({ holdRetry: { initialDelayMs: 1, maxDelayMs: 1 } }, holding(seen));
      const first = fakeBatch([message(20, { held: true }), message(21)]);
      await handle(instance, first.payload);
      await waitUntil(() => first.resumes === 1);
      const [held] = instance.heldPartitions();
      expect(first.commits).toEqual([]);

      // Fetched again from the held message: still unverifiable.
      const again = fakeBatch([message(20, { held: true }), message(21)]);
      await handle(instance, again.payload);
      expect(instance.heldPartitions()).toEqual([
        expect.objectContaining({ offset: '20', since: held.since, attempts: 2 }),
      ]);

      // Reconfigured: the same message now goes through, and the hold ends.
      const passing = fakeBatch([message(20), message(21)]);
      await handle(instance, passing.payload);
      expect(seen).toEqual([['20', '21']]);
      expect(passing.commits).toEqual(['22']);
      expect(instance.heldPartitions()).toEqual([]);
      await instance.close();
    });

    it('holds at a message met while going one by one after a permanent failure', async () => {
      const seen: string[][] = [];
      const deadLetters: DeadLetterEntry[] = [];
      const instance = server(
        { holdRetry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } },
        (batch) => {
          if (batch.messages.length > 1) {
            return Promise.reject(new PermanentMessageError('invalid-message', 'bad'));
          }
          return holding(seen)(batch);
        },
        deadLetters,
      );
      const fake = fakeBatch([message(30), message(31, { held: true }), message(32)]);
      await handle(instance, fake.payload);
      expect(seen).toEqual([['30']]);
      expect(deadLetters).toEqual([]);
      expect(fake.resolved).not.toContain('31');
      expect(fake.commits).toEqual(['31']);
      expect(instance.heldPartitions().map((h) => h.offset)).toEqual(['31']);
      await instance.close();
    });
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}
