import { isAuthor, masterAuthor, parseAuthor, shipAuthor } from './author.util';
import { isSenderId, isShipId } from './wire-patterns.constants';

describe('authors', () => {
  it('builds and parses both sides', () => {
    expect(shipAuthor('ship-a')).toBe('ship:ship-a');
    expect(masterAuthor('alice@example.com')).toBe('master:alice@example.com');
    expect(parseAuthor('ship:ship-a')).toEqual({ side: 'ship', shipId: 'ship-a' });
    expect(parseAuthor('master:alice')).toEqual({ side: 'master', user: 'alice' });
  });

  it.each(['alice', 'ship:', 'ship:Ship', 'master:', 'master:two words', 'ship:master'])(
    'refuses %j',
    (author) => {
      expect(isAuthor(author)).toBe(false);
      expect(parseAuthor(author)).toBeNull();
    },
  );

  it('refuses a master user that could not be parsed back', () => {
    expect(() => masterAuthor('two words')).toThrow(RangeError);
  });
});

describe('sender ids', () => {
  it.each([
    ['master', false, true],
    ['ship-a', true, true],
    ['0ship_1.x', true, true],
    ['Ship-A', false, false],
    ['-ship', false, false],
    ['', false, false],
    ['s'.repeat(65), false, false],
  ])('%j: ship %s, sender %s', (id, ship, sender) => {
    expect(isShipId(id)).toBe(ship);
    expect(isSenderId(id)).toBe(sender);
  });
});
