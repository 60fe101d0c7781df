import { lagOf } from './ship.view';

describe('lagOf', () => {
  it('sums what each partition holds beyond the ship applied position', () => {
    expect(lagOf({ '0': '10', '1': '4' }, { '0': '12', '1': '4' })).toBe(2);
  });

  it('counts a partition the ship never read from its start', () => {
    expect(lagOf({ '0': '3' }, { '0': '3', '1': '5' })).toBe(5);
  });

  it('is never negative and is unknown without the high watermarks', () => {
    expect(lagOf({ '0': '9' }, { '0': '3' })).toBe(0);
    expect(lagOf({}, null)).toBeNull();
  });
});
