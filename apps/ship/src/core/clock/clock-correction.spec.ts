import { ClockCorrection, CORRECTION_WINDOW_MS } from './clock-correction';

const S = 1000;
const YEAR = 365 * 24 * 3600 * S;

function clock(initial = 0) {
  let mono = 0;
  const correction = new ClockCorrection(() => mono, initial);
  return {
    correction,
    advance: (ms: number) => (mono += ms),
  };
}

describe('ClockCorrection', () => {
  it.each([
    ['a right clock, live messages', [-0.2 * S, -0.6 * S, -0.1 * S], 0],
    ['a right clock reading a week-old backlog', [-7 * 24 * 3600 * S, -3600 * S], 0],
    ['a clock a year behind, live messages', [YEAR - 0.5 * S, YEAR - 0.2 * S], YEAR - 0.2 * S],
    [
      'a clock a year behind reading old messages first',
      [YEAR - 3600 * S, YEAR - 0.3 * S],
      YEAR - 0.3 * S,
    ],
    ['a clock a year ahead (left to the master)', [-YEAR - 0.2 * S], 0],
  ])('%s', (_name, samples, expected) => {
    const { correction } = clock();
    const local = Date.parse('2026-06-01T00:00:00Z');
    for (const sample of samples) correction.observe(local + sample, local);
    expect(correction.ms).toBe(expected);
  });

  it('follows a clock that was put right, within two windows', () => {
    const { correction, advance } = clock();
    correction.observe(YEAR, 0);
    expect(correction.ms).toBe(YEAR);
    advance(CORRECTION_WINDOW_MS);
    correction.observe(-100, 0);
    expect(correction.ms).toBe(YEAR);
    advance(CORRECTION_WINDOW_MS);
    expect(correction.observe(-100, 0)).toBe(true);
    expect(correction.ms).toBe(0);
  });

  it('keeps what it learned while no messages come (offline)', () => {
    const { correction, advance } = clock(YEAR);
    advance(10 * CORRECTION_WINDOW_MS);
    expect(correction.ms).toBe(YEAR);
  });

  it('reports a change only when the correction moves by more than transit noise', () => {
    const { correction } = clock();
    expect(correction.observe(10 * S, 0)).toBe(true);
    expect(correction.observe(10.5 * S, 0)).toBe(false);
    expect(correction.ms).toBe(10.5 * S);
    expect(correction.observe(20 * S, 0)).toBe(true);
    expect(correction.ms).toBe(20 * S);
  });
});
