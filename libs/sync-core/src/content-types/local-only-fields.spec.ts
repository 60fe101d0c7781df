import {
  DEFAULT_LOCAL_ONLY_PATTERN,
  LocalOnlyFields,
  parseLocalOnlyPattern,
} from './local-only-fields';

const fields = new LocalOnlyFields(
  new Map([['crew-member', new Set(['pinCode'])]]),
  parseLocalOnlyPattern(DEFAULT_LOCAL_ONLY_PATTERN),
);

describe('LocalOnlyFields', () => {
  it.each([
    ['crew-member', 'pinCode', true],
    ['article', 'pinCode', false],
    ['article', 'password', true],
    ['article', 'adminPassword', true],
    ['article', 'clientSecret', true],
    ['article', 'access_token', true],
    ['article', 'refreshTokens', true],
    ['article', 'apiKey', true],
    ['article', 'x-api-key', true],
    ['article', 'API_KEY', true],
    ['article', 'secretary', false],
    ['article', 'tokenizer', false],
    ['article', 'passwordHint', false],
    ['article', 'title', false],
  ])('%s.%s is local-only: %s', (type, field, expected) => {
    expect(fields.isLocalOnly(type, field)).toBe(expected);
  });

  it('strips local-only fields, and gives the same object back when there are none', () => {
    const data = { name: 'Ada', pinCode: '1234', password: 'hunter2' };
    expect(fields.strip('crew-member', data)).toEqual({ name: 'Ada' });
    const plain = { name: 'Ada' };
    expect(fields.strip('crew-member', plain)).toBe(plain);
  });

  it('keeps the local values when a copy from the wire replaces the document', () => {
    const local = { name: 'Ada', pinCode: '1234', rank: 'cook' };
    expect(fields.keepLocal('crew-member', { name: 'Ada L.', rank: 'chef' }, local)).toEqual({
      name: 'Ada L.',
      rank: 'chef',
      pinCode: '1234',
    });
    // A local-only value that reached the wire anyway is not taken.
    expect(fields.keepLocal('crew-member', { name: 'x', pinCode: '9999' }, null)).toEqual({
      name: 'x',
    });
  });

  it('has no pattern when SYNC_LOCAL_ONLY_PATTERN is empty, and names a bad one', () => {
    expect(parseLocalOnlyPattern('')).toBeNull();
    expect(() => parseLocalOnlyPattern('(')).toThrow(/not a regular expression/);
  });
});
