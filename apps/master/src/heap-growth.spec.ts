import { limitHeapGrowth } from './heap-growth';

describe('limitHeapGrowth', () => {
  it('sets the growing factor when node was not given one', () => {
    expect(limitHeapGrowth([])).toBe(true);
    expect(limitHeapGrowth(['--max-semi-space-size=4'])).toBe(true);
  });

  it('leaves a factor given to node alone', () => {
    expect(limitHeapGrowth(['--heap-growing-percent=300'])).toBe(false);
  });
});
