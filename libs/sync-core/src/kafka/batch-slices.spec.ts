import type { KafkaMessage } from 'kafkajs';
import { slicesOf } from './batch-slices';

const message = (offset: number, bytes: number): KafkaMessage =>
  ({ offset: String(offset), value: Buffer.alloc(bytes) }) as KafkaMessage;
const offsets = (slices: KafkaMessage[][]): string[][] =>
  slices.map((slice) => slice.map((m) => m.offset));

describe('slicesOf', () => {
  it('cuts by count, in order', () => {
    const batch = [1, 2, 3, 4, 5].map((o) => message(o, 10));
    expect(offsets([...slicesOf(batch, 2)])).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });

  it('cuts by bytes too, whichever bound comes first', () => {
    const batch = [message(1, 60), message(2, 50), message(3, 10), message(4, 10), message(5, 10)];
    expect(offsets([...slicesOf(batch, 3, 100)])).toEqual([['1'], ['2', '3', '4'], ['5']]);
  });

  it('puts a message larger than the byte bound in a slice of its own', () => {
    const batch = [message(1, 10), message(2, 500), message(3, 10)];
    expect(offsets([...slicesOf(batch, 10, 100)])).toEqual([['1'], ['2'], ['3']]);
  });

  it('takes the whole batch without bounds, and nothing from an empty one', () => {
    const batch = [1, 2, 3].map((o) => message(o, 10));
    expect(offsets([...slicesOf(batch)])).toEqual([['1', '2', '3']]);
    expect([...slicesOf([])]).toEqual([]);
  });
});
