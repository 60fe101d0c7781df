import { hash } from 'node:crypto';

/**
 * Merkle trees over envelopes (RFC 9162 §2.1: leaf hash SHA-256(0x00 ‖ bytes), node hash
 * SHA-256(0x01 ‖ left ‖ right), the left subtree the largest power of two). One Ed25519 signature
 * over the root covers a whole batch of master updates: each update stays its own Kafka message
 * (the topic is compacted per document) and carries the path that leads from it to the root.
 */

const HASH_BYTES = 32;
const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);
/**
 * Prepended to the root before signing. Envelope signatures cover JSON text, which starts with
 * '{', so a signature over a root can never pass for one over an envelope, nor the reverse.
 */
const ROOT_DOMAIN = Buffer.from('offline-sync/batch-root/v1\n', 'utf8');

/** Largest batch one root may cover (a path of at most 16 hashes). */
export const MAX_BATCH_PROOF_SIZE = 65_536;

/** Where one envelope sits in its signed batch. `path` is base64 of its sibling hashes, leaf first. */
export interface BatchProof {
  index: number;
  size: number;
  path: string;
}

// One-shot hashing over a concatenation: half the cost of a Hash object fed three updates (a
// ship checks a path of ~7 node hashes for every master update it applies).
export function leafHash(bytes: Buffer): Buffer {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, bytes]), 'buffer');
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
}

/** The bytes signed for a batch: the domain, the batch size and the root. */
export function batchRootMessage(size: number, root: Buffer): Buffer {
  const sizeBytes = Buffer.alloc(4);
  sizeBytes.writeUInt32BE(size);
  return Buffer.concat([ROOT_DOMAIN, sizeBytes, root]);
}

/** The root of the leaves and every leaf's proof, in leaf order. */
export function buildBatchProofs(leaves: readonly Buffer[]): {
  root: Buffer;
  proofs: BatchProof[];
} {
  if (leaves.length === 0 || leaves.length > MAX_BATCH_PROOF_SIZE) {
    throw new RangeError(`a signed batch holds 1 to ${MAX_BATCH_PROOF_SIZE} envelopes`);
  }
  const paths: Buffer[][] = leaves.map(() => []);
  // Subtrees are finished bottom-up, so each leaf's siblings arrive in path order.
  const build = (from: number, to: number): Buffer => {
    if (to - from === 1) return leaves[from];
    let split = 1;
    while (split * 2 < to - from) split *= 2;
    const left = build(from, from + split);
    const right = build(from + split, to);
    for (let i = from; i < from + split; i += 1) paths[i].push(right);
    for (let i = from + split; i < to; i += 1) paths[i].push(left);
    return nodeHash(left, right);
  };
  const root = build(0, leaves.length);
  return {
    root,
    proofs: paths.map((path, index) => ({
      index,
      size: leaves.length,
      path: Buffer.concat(path).toString('base64'),
    })),
  };
}

/**
 * The root a leaf and its proof lead to (RFC 9162 §2.1.3.2), or null when the path does not fit
 * the stated position and size. Only a signature over the root makes the leaf trusted.
 */
export function rootFromProof(
  leaf: Buffer,
  index: number,
  size: number,
  path: Buffer,
): Buffer | null {
  return walkProof(leaf, index, size, path)?.root ?? null;
}

/** A node of a tree of at most MAX_BATCH_PROOF_SIZE leaves, by its `(fn, sn)` of RFC 9162 §2.1.3.2. */
export type NodePosition = number;

/** A root and inner nodes that lead to it, by position. */
export interface KnownTree {
  root: Buffer;
  nodes: ReadonlyMap<NodePosition, Buffer>;
}

/**
 * Where a proof led: its root, and whether it got there by meeting a node of the known tree
 * (whose root it then is). `nodes` are the inner nodes it computed on the way, by position.
 */
export interface ProofWalk {
  root: Buffer;
  meets: boolean;
  nodes: Map<NodePosition, Buffer>;
}

/**
 * rootFromProof that stops hashing where the path meets a node of `known` (the inner nodes that
 * earlier leaves of the same batch led through): a ship receives a batch's leaves together, and
 * the paths of neighbours share all but their lowest nodes, so most leaves cost one or two node
 * hashes instead of the whole path. The position arithmetic runs to the end all the same, so a
 * path that does not fit its index and size leads nowhere either way.
 */
export function walkProof(
  leaf: Buffer,
  index: number,
  size: number,
  path: Buffer,
  known?: KnownTree,
): ProofWalk | null {
  if (path.length % HASH_BYTES !== 0 || index < 0 || index >= size) return null;
  const nodes = new Map<NodePosition, Buffer>();
  let fn = index;
  let sn = size - 1;
  let current = leaf;
  let meets = false;
  for (let offset = 0; offset < path.length; offset += HASH_BYTES) {
    if (sn === 0) return null;
    const siblingOnTheLeft = fn % 2 === 1 || fn === sn;
    if (!meets) {
      const sibling = path.subarray(offset, offset + HASH_BYTES);
      current = siblingOnTheLeft ? nodeHash(sibling, current) : nodeHash(current, sibling);
    }
    if (siblingOnTheLeft && fn % 2 === 0) {
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
    if (!meets && sn !== 0) {
      // sn falls at every level, so (fn, sn) names one node of the tree.
      const position = fn * MAX_BATCH_PROOF_SIZE + sn;
      if (known?.nodes.get(position)?.equals(current)) meets = true;
      else nodes.set(position, current);
    }
  }
  if (sn !== 0) return null;
  return { root: meets && known ? known.root : current, meets, nodes };
}
