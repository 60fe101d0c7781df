import { Prng } from './prng';

describe('Prng (sfc32 seeded by splitmix32)', () => {
  const take = (prng: Prng, n: number): number[] => Array.from({ length: n }, () => prng.uint32());

  it('gives the same sequence for the same seed and stream, others for others', () => {
    expect(take(new Prng(42, 'faults'), 8)).toEqual(take(new Prng(42, 'faults'), 8));
    expect(take(new Prng(42, 'faults'), 8)).not.toEqual(take(new Prng(43, 'faults'), 8));
    expect(take(new Prng(42, 'faults'), 8)).not.toEqual(take(new Prng(42, 'workload'), 8));
  });

  it('is pinned: a change of algorithm would silently change every recorded schedule', () => {
    expect(new Prng(1).uint32()).toBe(3773806752);
  });

  it('keeps values in range and spreads them evenly', () => {
    const prng = new Prng(7);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i += 1) {
      const value = prng.int(1, 6);
      expect(value).toBeGreaterThanOrEqual(1);
      expect(value).toBeLessThanOrEqual(6);
      counts[value - 1] += 1;
    }
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i += 1) {
      const x = prng.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('picks by weight, and never a key of weight 0', () => {
    const prng = new Prng(9);
    const seen = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 10_000; i += 1) seen[prng.weighted({ a: 3, b: 1, never: 0 })] += 1;
    expect(seen.never).toBe(0);
    expect(seen.a / seen.b).toBeGreaterThan(2.5);
    expect(seen.a / seen.b).toBeLessThan(3.5);
  });

  it('has the mean it is asked for in exponential gaps', () => {
    const prng = new Prng(11);
    let sum = 0;
    for (let i = 0; i < 20_000; i += 1) sum += prng.exponential(5);
    expect(sum / 20_000).toBeGreaterThan(4.8);
    expect(sum / 20_000).toBeLessThan(5.2);
  });

  it('forks independent streams reproducibly', () => {
    const a = new Prng(5).fork('x');
    const b = new Prng(5).fork('x');
    expect(take(a, 5)).toEqual(take(b, 5));
  });
});
