import { inListChunks, padInList, slices, statementChunks, statementSize } from './statement-sizes';

describe('statement sizes', () => {
  it('rounds a count up to a power of two, at most max', () => {
    expect(
      [0, 1, 2, 3, 5, 8, 9, 200, 256, 257, 499, 500].map((n) => statementSize(n, 500)),
    ).toEqual([0, 1, 2, 4, 8, 8, 16, 256, 256, 500, 500, 500]);
  });

  it('leaves a count above max as it is (the caller chunks)', () => {
    expect(statementSize(501, 500)).toBe(501);
  });

  it('gives every length up to max one of at most ten sizes', () => {
    const sizes = new Set(Array.from({ length: 500 }, (_, i) => statementSize(i + 1, 500)));
    expect(sizes.size).toBe(10);
  });

  it('pads an IN list with its last value, keeping the values in order', () => {
    expect(padInList(['a', 'b', 'c'], 500)).toEqual(['a', 'b', 'c', 'c']);
    expect(padInList([7], 500)).toEqual([7]);
    expect(padInList([], 500)).toEqual([]);
    expect(padInList([1, 2, 3, 4], 500)).toEqual([1, 2, 3, 4]);
  });

  it('chunks the distinct values of an IN list, each chunk padded', () => {
    expect(inListChunks(['a', 'b', 'a', 'c', 'd', 'e', 'b'], 4)).toEqual([
      ['a', 'b', 'c', 'd'],
      ['e'],
    ]);
    expect(inListChunks([1, 2, 3, 4, 5, 6, 7], 5)).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7],
    ]);
    expect(inListChunks([1, 2, 3, 4, 5, 6, 7, 8], 5)).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 8],
    ]);
    expect(inListChunks([], 5)).toEqual([]);
  });

  it('cuts items into max-sized chunks, then powers of two, in order', () => {
    const items = Array.from({ length: 1100 }, (_, i) => i);
    const chunks = statementChunks(items, 500);
    expect(chunks.map((c) => c.length)).toEqual([500, 500, 64, 32, 4]);
    expect(chunks.flat()).toEqual(items);
    expect(statementChunks([], 500)).toEqual([]);
    expect(statementChunks([1, 2, 3], 100).map((c) => c.length)).toEqual([2, 1]);
  });

  it('slices work in order, the last slice shorter', () => {
    expect(slices([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(slices([], 2)).toEqual([]);
  });
});
