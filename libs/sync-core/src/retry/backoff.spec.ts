import { backoffDelay, exponentialBackoff } from './backoff';

describe('backoff', () => {
  it.each([
    [1, 50, 100],
    [2, 100, 200],
    [4, 400, 800],
    [30, 5_000, 10_000],
  ])(
    'waits before try %i between %i and %i ms (doubling, upper half, capped)',
    (attempt, low, high) => {
      for (let i = 0; i < 50; i += 1) {
        const delay = backoffDelay(attempt, { initialMs: 100, maxMs: 10_000 });
        expect(delay).toBeGreaterThanOrEqual(low);
        expect(delay).toBeLessThanOrEqual(high);
      }
    },
  );

  it('spreads the waits of retries made at the same moment', () => {
    const delays = new Set(
      Array.from(
        { length: 20 },
        () => exponentialBackoff({ initialMs: 1000, maxMs: 60_000 }).next(undefined).duration,
      ),
    );
    expect(delays.size).toBeGreaterThan(1);
  });
});
