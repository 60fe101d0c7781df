import { isISO8601 } from 'class-validator';
import fc from 'fast-check';
import { TIMESTAMP_PATTERN } from './wire-patterns.constants';
import { isWireTimestamp } from './wire-field.predicates';

/** The rule before: the layout, then validator.js's strict calendar check. */
function isISO8601Timestamp(value: unknown): boolean {
  return (
    typeof value === 'string' && TIMESTAMP_PATTERN.test(value) && isISO8601(value, { strict: true })
  );
}

const two = (n: number): string => String(n).padStart(2, '0');
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Whether the two disagree where they must not: isWireTimestamp never accepts what isISO8601
 * refuses, and from the year 1000 on they give the same verdict.
 */
function disagree(text: string): boolean {
  const reference = isISO8601Timestamp(text);
  const quick = isWireTimestamp(text);
  if (quick) {
    return !reference;
  }
  return reference && Number(text.slice(0, 4)) >= 1000;
}

function disagreements(texts: Iterable<string>): string[] {
  return [...texts].filter(disagree);
}

describe('isWireTimestamp', () => {
  function* calendar(years: number[], hours = '10:30:00Z'): Generator<string> {
    for (const year of years) {
      for (const month of range(0, 13)) {
        for (const day of range(0, 32)) {
          yield `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${hours}`;
        }
      }
    }
  }

  it('agrees with isISO8601 on every month and day of leap and common years', () => {
    const years = [1000, 1582, 1600, 1700, 1900, 1970, 2000, 2023, 2024, 2100, 2400, 9996, 9999];
    expect(disagreements(calendar(years))).toEqual([]);
    // Before 1000 isWireTimestamp only ever refuses.
    expect(disagreements(calendar([0, 4, 100, 999]))).toEqual([]);
  });

  it('agrees on 28 to 30 February of every year', () => {
    const texts = range(0, 9999).flatMap((year) =>
      [28, 29, 30].map((day) => `${String(year).padStart(4, '0')}-02-${day}T00:00:00.000Z`),
    );
    expect(disagreements(texts)).toEqual([]);
  });

  it('refuses years before 1000, which isISO8601 reads through the local time zone', () => {
    expect(isWireTimestamp('0999-01-01T00:00:00Z')).toBe(false);
    expect(isISO8601Timestamp('0999-01-01T00:00:00Z')).toBe(true);
  });

  it('agrees on every time of day, fraction and zone offset', () => {
    const texts: string[] = [];
    for (const hour of range(0, 99)) {
      for (const minute of range(0, 99)) {
        texts.push(`2024-02-29T${two(hour)}:${two(minute)}:00.5Z`);
        texts.push(`2024-12-31T23:59:59+${two(hour)}:${two(minute)}`);
        texts.push(`2024-12-31T00:00:00-${two(hour)}:${two(minute)}`);
      }
    }
    for (const second of range(0, 99)) {
      for (const fraction of ['', '.1', '.123456789', '.1234567890', '.']) {
        texts.push(`2024-01-15T10:30:${two(second)}${fraction}Z`);
      }
    }
    expect(disagreements(texts)).toEqual([]);
  });

  it('agrees on strings of the timestamp layout and on near misses', () => {
    const chars = fc.constantFrom(...'0123456789-:.+TZz ');
    const text = fc.oneof(
      fc.stringMatching(TIMESTAMP_PATTERN),
      fc
        .tuple(fc.stringMatching(TIMESTAMP_PATTERN), fc.nat(), chars)
        .map(
          ([base, at, char]) =>
            base.slice(0, at % base.length) + char + base.slice((at % base.length) + 1),
        ),
      fc.string(),
    );
    fc.assert(
      fc.property(text, (t) => !disagree(t)),
      { numRuns: 5_000 },
    );
  });

  it('refuses what is not a string', () => {
    for (const value of [null, undefined, 1705314600000, {}, []]) {
      expect(isWireTimestamp(value)).toBe(false);
    }
  });
});
