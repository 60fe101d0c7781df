import { lagBehind } from './sync-backlog.health';

describe('lagBehind', () => {
  it('sums what each partition has beyond the applied position', () => {
    expect(lagBehind({ '0': '10', '1': '7' }, { '0': '4', '1': '7' })).toBe(6);
  });

  it('counts a partition never read from its start', () => {
    expect(lagBehind({ '0': '3', '1': '5' }, { '0': '3' })).toBe(5);
  });

  it('is 0 when caught up, never negative', () => {
    expect(lagBehind({ '0': '3' }, { '0': '3' })).toBe(0);
    expect(lagBehind({ '0': '3' }, { '0': '9' })).toBe(0);
    expect(lagBehind({}, {})).toBe(0);
  });
});
