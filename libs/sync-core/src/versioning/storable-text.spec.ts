import fc from 'fast-check';
import { findUnstorableText, mayHoldUnstorableText } from './storable-text';

describe('findUnstorableText', () => {
  it.each([
    ['a plain document', { title: 'Hello', n: 1, tags: ['a', 'b'] }, null],
    ['a surrogate pair (emoji)', { title: 'ship 😀' }, null],
    ['a backslash followed by u0000 as text', { title: '\\u0000' }, null],
    ['a NUL in a value', { title: 'a\u0000b' }, 'data.title'],
    ['a NUL in a nested array', { a: { b: ['x', 'y\u0000'] } }, 'data.a.b[1]'],
    ['a lone high surrogate', { title: 'x\ud800' }, 'data.title'],
    ['a lone low surrogate', { title: '\udc00x' }, 'data.title'],
    ['a NUL in a key', { ['k\u0000']: 1 }, 'data."k\\u0000"'],
    ['a lone surrogate in a key', { ['\ud800']: 1 }, 'data."\\ud800"'],
  ])('%s', (_name, data, field) => {
    const found = findUnstorableText(data);
    expect(found?.field ?? null).toBe(field);
    // With the JSON text the answer is the same (the text only clears documents early).
    expect(findUnstorableText(data, 'data', JSON.stringify(data))?.field ?? null).toBe(field);
  });

  it('names NUL characters and lone surrogates in its reason', () => {
    expect(findUnstorableText({ t: '\u0000' })?.reason).toMatch(/NUL/);
    expect(findUnstorableText({ t: '\ud800' })?.reason).toMatch(/surrogate/);
  });

  it('walks a document nested 100,000 levels deep without overflowing the stack', () => {
    let deep: unknown = 'leaf\u0000';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(findUnstorableText(deep)?.reason).toMatch(/NUL/);
  });

  it('agrees with a character-by-character reading of the JSON text for any document', () => {
    const lone = (s: string): boolean =>
      s.includes('\u0000') ||
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.string({ unit: 'binary' }), (value, text) => {
        const data = { value, text, [text]: 1 };
        const json = JSON.stringify(data);
        const expected = lone(text) || lone(JSON.stringify(value) ?? '');
        expect(findUnstorableText(data) !== null).toBe(expected);
        expect(mayHoldUnstorableText(json)).toBe(expected);
      }),
    );
  });
});
