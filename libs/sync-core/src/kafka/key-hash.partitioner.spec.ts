import fc from 'fast-check';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { KeyHashPartitioner, murmur2 } from './key-hash.partitioner';

const partitions = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));

describe('KeyHashPartitioner', () => {
  const ours = KeyHashPartitioner();
  const kafkajs = Partitioners.DefaultPartitioner();

  it("puts every key on the partition kafkajs' default partitioner picks", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'grapheme', maxLength: 120 }),
          fc.string({ unit: 'binary', maxLength: 400 }),
          fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
        ),
        fc.integer({ min: 1, max: 64 }),
        (key, count) => {
          const args = {
            topic: 't',
            partitionMetadata: partitions(count),
            message: { key, value: '' },
          };
          expect(ours(args)).toBe(kafkajs(args));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('matches known murmur2 values of the Java client', () => {
    // org.apache.kafka.common.utils.Utils.murmur2, as in Kafka's own UtilsTest.
    const cases: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it('keeps a partition the message names, and spreads keyless messages over all of them', () => {
    const metadata = partitions(3);
    expect(
      ours({
        topic: 't',
        partitionMetadata: metadata,
        message: { key: 'k', value: '', partition: 2 },
      }),
    ).toBe(2);
    const seen = new Set(
      Array.from({ length: 30 }, () =>
        ours({ topic: 't', partitionMetadata: metadata, message: { key: null, value: '' } }),
      ),
    );
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });
});
