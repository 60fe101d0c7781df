import { BatchTrees } from './batch-trees';

const hashOf = (n: number): Buffer => Buffer.alloc(32, n);

describe('BatchTrees', () => {
  it('adds a leaf’s nodes to its batch’s tree', () => {
    const trees = new BatchTrees();
    trees.record('ship-1 8 sig', hashOf(0), 'root-a', new Map([[7, hashOf(1)]]));
    trees.record('ship-1 8 sig', hashOf(0), 'root-a', new Map([[3, hashOf(2)]]));
    expect(trees.get('ship-1 8 sig')).toEqual({
      root: hashOf(0),
      rootKey: 'root-a',
      nodes: new Map([
        [7, hashOf(1)],
        [3, hashOf(2)],
      ]),
    });
  });

  it('keeps the first root under a signature: another one’s nodes never join its tree', () => {
    const trees = new BatchTrees();
    trees.record('k', hashOf(0), 'root-a', new Map([[7, hashOf(1)]]));
    trees.record('k', hashOf(9), 'root-b', new Map([[3, hashOf(2)]]));
    expect(trees.get('k')?.rootKey).toBe('root-a');
    expect([...(trees.get('k')?.nodes.keys() ?? [])]).toEqual([7]);
  });

  it('forgets a tree whose root’s signature failed, and only that root’s', () => {
    const trees = new BatchTrees();
    trees.record('k', hashOf(0), 'root-a', new Map());
    trees.forget('k', 'root-b');
    expect(trees.get('k')).toBeDefined();
    trees.forget('k', 'root-a');
    expect(trees.get('k')).toBeUndefined();
  });

  it('holds at most its limit of trees, dropping the oldest', () => {
    const trees = new BatchTrees(2);
    for (const key of ['a', 'b', 'c']) trees.record(key, hashOf(0), `root-${key}`, new Map());
    expect(trees.get('a')).toBeUndefined();
    expect(trees.get('b')).toBeDefined();
    expect(trees.get('c')).toBeDefined();
  });
});
