import type { KnownTree, NodePosition } from './batch-proof';

/** The inner nodes of one batch's tree that its leaves' proofs have led through so far. */
export interface BatchTree extends KnownTree {
  /** What the batch's signature is checked under (VerifiedRoots). */
  rootKey: string;
  nodes: Map<NodePosition, Buffer>;
}

/**
 * The trees of the batches a receiver is verifying, by sender, size and signature, so that a
 * leaf whose proof meets a node another leaf led through shares that leaf's root without hashing
 * the rest of its path (walkProof). A tree is recorded before its root's signature is checked:
 * a leaf that meets it leads to the same root, so it is as good as that signature, and no better.
 * A root whose signature fails leaves with its tree. Bounded, the oldest first: a batch's leaves
 * arrive together.
 */
export class BatchTrees {
  private readonly trees = new Map<string, BatchTree>();

  constructor(private readonly limit = 16) {}

  get(key: string): BatchTree | undefined {
    return this.trees.get(key);
  }

  /** Adds the nodes a leaf led through: to its tree, or as the first of a new one. */
  record(
    key: string,
    root: Buffer,
    rootKey: string,
    nodes: ReadonlyMap<NodePosition, Buffer>,
  ): void {
    const tree = this.trees.get(key);
    if (tree === undefined) {
      this.trees.set(key, { root, rootKey, nodes: new Map(nodes) });
      if (this.trees.size > this.limit) {
        const oldest = this.trees.keys().next();
        if (!oldest.done) this.trees.delete(oldest.value);
      }
      return;
    }
    // Another root under the same signature (a forgery, which will fail): keep the first tree.
    if (tree.rootKey !== rootKey) return;
    for (const [position, node] of nodes) tree.nodes.set(position, node);
  }

  /** Drops the tree whose root's signature did not match. */
  forget(key: string, rootKey: string): void {
    if (this.trees.get(key)?.rootKey === rootKey) this.trees.delete(key);
  }
}
