import fc from 'fast-check';
import { changedFieldNames, diffFields } from './diff-fields';
import { jsonEqual } from './json-equal';
import { mergeFields } from './merge-fields';

const fieldName = fc.constantFrom('title', 'body', 'tags', 'author', 'status', 'cover', 'rank');
const value = fc.jsonValue({ maxDepth: 2 });
const data = fc.dictionary(fieldName, value, { maxKeys: 7 });

describe('mergeFields', () => {
  it('puts the ship fields over the current data when nobody else touched them', () => {
    expect(mergeFields({ title: 'A', body: 'B' }, { body: 'ship' }, ['title'])).toEqual({
      merged: { title: 'A', body: 'ship' },
    });
  });

  it('reports fields both sides changed, sorted', () => {
    expect(
      mergeFields({ title: 'A', body: 'B', tags: [] }, { title: 'x', tags: ['y'], rank: 1 }, [
        'tags',
        'title',
        'body',
      ]),
    ).toEqual({ overlapping: ['tags', 'title'] });
  });

  it('treats the same edit on both sides as no overlap', () => {
    expect(mergeFields({ tags: ['a', 'b'] }, { tags: ['a', 'b'] }, ['tags'])).toEqual({
      merged: { tags: ['a', 'b'] },
    });
  });

  it('merges a new field the ship added', () => {
    expect(mergeFields({ title: 'A' }, { cover: 'img' }, ['title'])).toEqual({
      merged: { title: 'A', cover: 'img' },
    });
  });

  it('is deterministic, whatever order the foreign fields come in (property)', () => {
    fc.assert(
      fc.property(data, data, fc.array(fieldName), (current, ship, foreign) => {
        const first = mergeFields(current, ship, foreign);
        const again = mergeFields(current, ship, [...foreign].reverse());
        return jsonEqual(first, again);
      }),
    );
  });

  it('never drops a field that only one side changed (property)', () => {
    fc.assert(
      fc.property(data, data, fc.array(fieldName), (current, ship, foreignList) => {
        const foreign = foreignList.filter((field) => !(field in ship));
        const result = mergeFields(current, ship, foreign);
        if (!('merged' in result)) {
          return false;
        }
        const shipKept = Object.keys(ship).every((field) =>
          jsonEqual(result.merged[field], ship[field]),
        );
        const masterKept = Object.keys(current)
          .filter((field) => !(field in ship))
          .every((field) => jsonEqual(result.merged[field], current[field]));
        return shipKept && masterKept;
      }),
    );
  });

  it('merges exactly when no overlapping field differs (property)', () => {
    fc.assert(
      fc.property(data, data, fc.array(fieldName), (current, ship, foreign: string[]) => {
        const result = mergeFields(current, ship, foreign);
        const conflicting = Object.keys(ship).filter(
          (field) => foreign.includes(field) && !jsonEqual(ship[field], current[field]),
        );
        return 'merged' in result
          ? conflicting.length === 0
          : jsonEqual(result.overlapping, conflicting.sort());
      }),
    );
  });
});

describe('diffFields / changedFieldNames', () => {
  it('lists differing fields with both values, key order irrelevant', () => {
    expect(
      diffFields(
        { title: 'A', meta: { a: 1, b: [1, 2] }, gone: true },
        { meta: { b: [1, 2], a: 1 }, title: 'B', added: null },
      ),
    ).toEqual([
      { field: 'added', left: undefined, right: null },
      { field: 'gone', left: true, right: undefined },
      { field: 'title', left: 'A', right: 'B' },
    ]);
  });

  it('names changed, added and removed fields', () => {
    expect(changedFieldNames({ a: 1, b: 2, c: [1] }, { a: 1, b: 3, c: [1], d: 0 })).toEqual([
      'b',
      'd',
    ]);
    expect(changedFieldNames({ a: 1 }, {})).toEqual(['a']);
    expect(changedFieldNames({ a: [1, 2] }, { a: [2, 1] })).toEqual(['a']);
  });

  it('names exactly the fields that turn one document into another (property)', () => {
    fc.assert(
      fc.property(data, data, (a, b) => {
        const changed = changedFieldNames(a, b);
        const rebuilt = { ...a };
        for (const field of changed) {
          if (b[field] === undefined) {
            delete rebuilt[field];
          } else {
            rebuilt[field] = b[field];
          }
        }
        return changedFieldNames(a, a).length === 0 && jsonEqual(rebuilt, b);
      }),
    );
  });
});

describe('jsonEqual', () => {
  it.each([
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    [{ a: undefined }, {}, true],
    [[1, 2], [2, 1], false],
    [{ a: [{ b: null }] }, { a: [{ b: null }] }, true],
    [{ a: null }, {}, false],
    [[], {}, false],
    [1, '1', false],
    [null, {}, false],
  ])('%j vs %j → %s', (a, b, equal) => {
    expect(jsonEqual(a, b)).toBe(equal);
    expect(jsonEqual(b, a)).toBe(equal);
  });

  it('agrees with a JSON round trip through sorted keys (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => jsonEqual(v, JSON.parse(JSON.stringify(v)) as unknown)),
    );
  });
});
