import { runInNewContext } from 'node:vm';
import { errorMessage } from './error-message';

describe('errorMessage', () => {
  it.each([
    ['an Error', new Error('broker down'), 'broker down'],
    ['a subclass', new RangeError('too far'), 'too far'],
    [
      'an Error of another realm',
      runInNewContext('new TypeError("elsewhere")') as unknown,
      'elsewhere',
    ],
    ['a string', 'plain text', 'plain text'],
    ['a number', 42, '42'],
    ['a plain object', { code: 'E1' }, '{"code":"E1"}'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
  ])('says what %s holds', (_name, error, expected) => {
    expect(errorMessage(error)).toBe(expected);
  });

  it('falls back to text for an object JSON cannot write', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorMessage(cyclic)).toBe('[object Object]');
  });
});
