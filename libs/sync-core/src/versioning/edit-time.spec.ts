import { effectiveEditedAt } from './edit-time';

const T = Date.parse('2026-06-01T12:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const S = 1000;
const YEAR = 365 * 24 * 3600 * S;
const TOLERANCE = 30 * S;

describe('effectiveEditedAt', () => {
  it.each([
    ['a right clock keeps its edit time as written', T - 60 * S, T - 5 * S, T, T - 60 * S],
    ['drift within the tolerance changes nothing', T + 10 * S, T + 20 * S, T, T + 10 * S],
    [
      'an edit after its own envelope is moved to the envelope',
      T - 5 * S,
      T - 10 * S,
      T,
      T - 10 * S,
    ],
    ['a clock a year ahead is moved back by its lead', T - 60 * S + YEAR, T + YEAR, T, T - 60 * S],
    [
      'a clock a year ahead sending at once is at its true time',
      T + YEAR - 5 * S,
      T + YEAR - 1 * S,
      T,
      T - 4 * S,
    ],
    [
      'a clock behind is left to the ship (its clock learns the master time)',
      T - YEAR,
      T - YEAR,
      T,
      T - YEAR,
    ],
    [
      'an envelope delayed for days is not a clock problem',
      T - 3 * 24 * 3600 * S,
      T - 3 * 24 * 3600 * S + S,
      T,
      T - 3 * 24 * 3600 * S,
    ],
  ])('%s', (_name, edited, sealed, received, expected) => {
    expect(effectiveEditedAt(iso(edited), { sealedAt: iso(sealed) }, received, TOLERANCE)).toBe(
      iso(expected),
    );
  });

  it('measures a clock ahead by its send time when the envelope waited after sealing', () => {
    // Edited and sealed at T (clock a year ahead), sent 3 days later, arrived 1 s after sending.
    const wait = 3 * 24 * 3600 * S;
    const result = effectiveEditedAt(
      iso(T + YEAR),
      { sealedAt: iso(T + YEAR + 100), sentAtMs: T + wait + YEAR },
      T + wait + S,
      TOLERANCE,
    );
    expect(result).toBe(iso(T + S));
    // By the seal time alone, the edit would look three days later than it was.
    expect(
      effectiveEditedAt(iso(T + YEAR), { sealedAt: iso(T + YEAR + 100) }, T + wait + S, TOLERANCE),
    ).toBe(iso(T + wait + S - 100));
  });

  it('measures a clock ahead by its heartbeats when the send of its envelope waited out an outage', () => {
    // Edited, sealed and sent at T - 3 s (a year ahead); the send reached the broker at T.
    const readings = { sealedAt: iso(T - 3 * S + YEAR), sentAtMs: T - 3 * S + YEAR };
    const edited = iso(T - 3 * S + YEAR);
    expect(effectiveEditedAt(edited, readings, T, TOLERANCE)).toBe(iso(T));
    expect(
      effectiveEditedAt(edited, { ...readings, heartbeatLeadMs: YEAR - 20 }, T, TOLERANCE),
    ).toBe(iso(T - 3 * S + 20));
    // A heartbeat lead smaller than what the envelope shows changes nothing.
    expect(effectiveEditedAt(edited, { ...readings, heartbeatLeadMs: 5 * S }, T, TOLERANCE)).toBe(
      iso(T),
    );
  });

  it('never places an edit later than its receipt plus the tolerance', () => {
    for (const lead of [0, S, TOLERANCE, TOLERANCE + 1, YEAR]) {
      for (const editedBefore of [0, 5 * S, YEAR]) {
        const result = Date.parse(
          effectiveEditedAt(
            iso(T + lead - editedBefore),
            { sealedAt: iso(T + lead), sentAtMs: T + lead },
            T,
            TOLERANCE,
          ),
        );
        expect(result).toBeLessThanOrEqual(T + TOLERANCE);
      }
    }
  });

  it('returns the very string it was given when nothing moves', () => {
    const written = '2026-06-01T11:59:00.123456Z';
    expect(effectiveEditedAt(written, { sealedAt: iso(T) }, T, TOLERANCE)).toBe(written);
  });

  it('leaves an unreadable time as it is (it loses every comparison)', () => {
    expect(effectiveEditedAt('not a time', { sealedAt: iso(T) }, T, TOLERANCE)).toBe('not a time');
  });
});
