import { coalesceChanges } from './coalesce-changes';

describe('coalesceChanges', () => {
  it('update + update → one update with the union of fields, the newer value winning', () => {
    expect(
      coalesceChanges(
        { op: 'update', fields: { title: 'a', body: 'x' } },
        { op: 'update', fields: { title: 'b', tags: ['t'] } },
      ),
    ).toEqual({ kind: 'merge', op: 'update', fields: { title: 'b', body: 'x', tags: ['t'] } });
  });

  it('create + update → create with the full data', () => {
    expect(
      coalesceChanges(
        { op: 'create', fields: { title: 'a', body: 'x' } },
        { op: 'update', fields: { title: 'b' } },
      ),
    ).toEqual({ kind: 'merge', op: 'create', fields: { title: 'b', body: 'x' } });
  });

  it('create + delete → nothing', () => {
    expect(
      coalesceChanges({ op: 'create', fields: { title: 'a' } }, { op: 'delete', fields: {} }),
    ).toEqual({ kind: 'cancel' });
  });

  it('update + delete → delete with no fields', () => {
    expect(
      coalesceChanges({ op: 'update', fields: { title: 'a' } }, { op: 'delete', fields: {} }),
    ).toEqual({ kind: 'merge', op: 'delete', fields: {} });
  });

  it('keeps null as a value (a field set to null is a change)', () => {
    expect(
      coalesceChanges(
        { op: 'update', fields: { title: 'a' } },
        { op: 'update', fields: { title: null } },
      ),
    ).toEqual({ kind: 'merge', op: 'update', fields: { title: null } });
  });

  it('refuses edits after a queued delete and a second create', () => {
    expect(() =>
      coalesceChanges({ op: 'delete', fields: {} }, { op: 'update', fields: { a: 1 } }),
    ).toThrow(/queued delete/);
    expect(() =>
      coalesceChanges({ op: 'update', fields: { a: 1 } }, { op: 'create', fields: { a: 1 } }),
    ).toThrow(/create/);
  });

  it('a long run of edits folds to the same result as applying them one by one', () => {
    let queued = { op: 'create' as const, fields: { n: 0 } as Record<string, unknown> };
    const expected: Record<string, unknown> = { n: 0 };
    for (let i = 1; i <= 50; i += 1) {
      const edit = { [`f${i % 7}`]: i, n: i };
      Object.assign(expected, edit);
      const result = coalesceChanges(queued, { op: 'update', fields: edit });
      if (result.kind !== 'merge') throw new Error('unexpected cancel');
      queued = { op: 'create', fields: result.fields };
    }
    expect(queued.fields).toEqual(expected);
  });
});
