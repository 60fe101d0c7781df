import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson, inCanonicalKeyOrder } from './canonical-json';

/** Sorted copies: the fast path (one JSON.stringify) must give the same text as the slow one. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedCopy((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

describe('canonicalJson', () => {
  it('equals the canonicalize library on any JSON value, in any key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
        expect(canonicalJson(sortedCopy(value))).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('equals it with undefined members, which both leave out (objects) or write as null (arrays)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.option(fc.jsonValue(), { nil: undefined })),
        fc.array(fc.option(fc.jsonValue(), { nil: undefined })),
        (record, array) => {
          expect(canonicalJson(record)).toBe(canonicalize(record));
          expect(canonicalJson(sortedCopy(record))).toBe(canonicalize(record));
          expect(canonicalJson(array)).toBe(canonicalize(array));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('orders keys by UTF-16 code units, integer-like keys included', () => {
    const value = {
      b: 1,
      a: { d: [3, { f: 1, e: 2 }], c: null },
      '10': true,
      '9': 'x',
      é: 1,
      z: -0,
    };
    expect(canonicalJson(value)).toBe(
      '{"10":true,"9":"x","a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1,"z":0,"é":1}',
    );
    expect(canonicalJson(value)).toBe(canonicalize(value));
  });

  it('reorders a value for senders: its JSON.stringify is then its canonical text', () => {
    // JavaScript lists integer-like keys ("0", "12") first whatever the insertion order, so only
    // values without them can be put in canonical order; canonicalJson stays right either way.
    const integerLike = (value: unknown): boolean =>
      value !== null &&
      typeof value === 'object' &&
      (Object.keys(value).some((key) => /^(0|[1-9]\d*)$/.test(key)) ||
        Object.values(value).some(integerLike));
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const ordered = inCanonicalKeyOrder(value);
        expect(ordered).toEqual(value);
        expect(canonicalJson(ordered)).toBe(canonicalize(value));
        if (!integerLike(value)) expect(JSON.stringify(ordered)).toBe(canonicalize(value));
      }),
      { numRuns: 1000 },
    );
    const kept = { a: 1, b: [{ c: 2 }] };
    expect(inCanonicalKeyOrder(kept)).toBe(kept);
  });

  it('refuses what JSON cannot carry, as the library does', () => {
    expect(() => canonicalJson({ n: NaN })).toThrow('NaN is not allowed');
    expect(() => canonicalJson([Infinity])).toThrow('Infinity is not allowed');
  });
});
