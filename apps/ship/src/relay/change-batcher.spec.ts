import { splitIntoEnvelopes } from './change-batcher';

const row = (size: number) => ({ fields: 'x'.repeat(size) });

describe('splitIntoEnvelopes', () => {
  it('makes envelopes of SYNC_BATCH_SIZE changes, keeping write order', () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({ fields: '{}', id: i }));
    const envelopes = splitIntoEnvelopes(rows, 100);
    expect(envelopes.map((e) => e.length)).toEqual([100, 100, 50]);
    expect(envelopes.flat().map((r) => r.id)).toEqual(rows.map((r) => r.id));
  });

  it('closes an envelope early when it would grow past the byte budget', () => {
    const envelopes = splitIntoEnvelopes([row(600), row(600), row(600)], 100, 2000);
    expect(envelopes.map((e) => e.length)).toEqual([2, 1]);
  });

  it('counts UTF-8 bytes, not characters (three bytes per character here)', () => {
    const euros = (n: number) => ({ fields: '€'.repeat(n) });
    const envelopes = splitIntoEnvelopes([euros(400), euros(400), euros(400)], 100, 2000);
    expect(envelopes.map((e) => e.length)).toEqual([1, 1, 1]);
  });

  it('gives an oversized change an envelope of its own', () => {
    expect(
      splitIntoEnvelopes([row(10), row(5000), row(10)], 100, 2000).map((e) => e.length),
    ).toEqual([1, 1, 1]);
  });

  it('returns nothing for nothing', () => {
    expect(splitIntoEnvelopes([], 100)).toEqual([]);
  });
});
