/**
 * Batch proofs alone, in one process (no Kafka, no database): master updates/s whose Merkle path a
 * receiver checks, each path walked whole (rootFromProof) next to paths shared by a batch's leaves
 * (walkProof with the batch's tree, what verifyEnvelope does), alternating in the same run; then
 * whole batch-signed envelopes/s through verifyEnvelopeAsync, one Ed25519 check per batch.
 * Prints a table; never pass/fail.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/batch-proofs.ts \
 *     [--ms 400] [--rounds 3] [--batch 128]
 */
import {
  buildBatchProofs,
  encodeEnvelope,
  generateSigningKeyPair,
  KeyRing,
  leafHash,
  MessageKind,
  rootFromProof,
  signEnvelopeBatchAsync,
  verifyEnvelopeAsync,
  walkProof,
  type NodePosition,
} from '@offline-sync/sync-core';
import { randomBytes } from 'node:crypto';
import { v4 as uuidv4 } from 'uuid';
import { round, smallData } from './lib/measure';

interface Args {
  ms: number;
  rounds: number;
  batch: number;
}

interface Batch {
  root: Buffer;
  leaves: Buffer[];
  paths: Buffer[];
}

const POOL = 16;

function parseArgs(argv: string[]): Args {
  const args: Args = { ms: 400, rounds: 3, batch: 128 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (argv[i] === '--ms') args.ms = value;
    else if (argv[i] === '--rounds') args.rounds = value;
    else if (argv[i] === '--batch') args.batch = value;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

function batchOf(size: number): Batch {
  const leaves = Array.from({ length: size }, () => leafHash(randomBytes(400)));
  const { root, proofs } = buildBatchProofs(leaves);
  return { root, leaves, paths: proofs.map((proof) => Buffer.from(proof.path, 'base64')) };
}

type Check = (batch: Batch) => void;

const whole: Check = ({ root, leaves, paths }) => {
  leaves.forEach((leaf, i) => {
    if (!rootFromProof(leaf, i, leaves.length, paths[i])?.equals(root))
      throw new Error('bad proof');
  });
};

const shared: Check = ({ root, leaves, paths }) => {
  const tree = { root, nodes: new Map<NodePosition, Buffer>() };
  leaves.forEach((leaf, i) => {
    const walk = walkProof(leaf, i, leaves.length, paths[i], tree);
    if (!walk?.root.equals(root)) throw new Error('bad proof');
    for (const [position, node] of walk.nodes) tree.nodes.set(position, node);
  });
};

/** Leaves checked per second over about `ms` of wall time. */
function rate(check: Check, batches: Batch[], ms: number): number {
  let count = 0;
  const started = process.hrtime.bigint();
  const until = started + BigInt(ms) * 1_000_000n;
  let now = started;
  while (now < until) {
    for (const batch of batches) {
      check(batch);
      count += batch.leaves.length;
    }
    now = process.hrtime.bigint();
  }
  return count / (Number(now - started) / 1e9);
}

/** Batch-signed master updates as a ship receives them: parsed JSON of each Kafka message. */
async function signedBatches(size: number): Promise<{ ring: () => KeyRing; batches: unknown[][] }> {
  const master = generateSigningKeyPair();
  const batches = await Promise.all(
    Array.from({ length: POOL }, async (_, p) => {
      const envelopes = await signEnvelopeBatchAsync(
        Array.from({ length: size }, (_, i) => ({
          sender: 'master',
          kind: MessageKind.MasterUpdate,
          payload: {
            type: 'article',
            documentId: uuidv4(),
            locale: 'en',
            version: 3,
            deleted: false,
            data: smallData(p * size + i, 'bench'),
            author: 'ship:ship-a',
            updatedAt: '2024-01-15T10:30:00.000Z',
          },
        })),
        master.privateKey,
      );
      return envelopes.map((envelope): unknown =>
        JSON.parse(encodeEnvelope(envelope).toString('utf8')),
      );
    }),
  );
  return { ring: () => new KeyRing([['master', master.publicKey]]), batches };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const batches = Array.from({ length: POOL }, () => batchOf(args.batch));
  const checks: [string, Check][] = [
    ['whole', whole],
    ['shared', shared],
  ];
  const best = new Map<string, number>();
  for (const [, check] of checks) rate(check, batches, args.ms / 4); // warm-up
  for (let r = 0; r < args.rounds; r += 1) {
    for (const [name, check] of checks) {
      best.set(name, Math.max(best.get(name) ?? 0, rate(check, batches, args.ms)));
    }
  }
  const slow = best.get('whole') ?? NaN;
  const fast = best.get('shared') ?? NaN;
  console.log(`node ${process.version}, batches of ${args.batch}, ${args.rounds} rounds (best)`);
  console.log('| check | paths walked whole (leaves/s) | paths shared (leaves/s) | speed-up |');
  console.log('|---|---|---|---|');
  console.log(
    `| Merkle path | ${round(slow).toLocaleString('en-US')} | ${round(fast).toLocaleString('en-US')} | ×${round(fast / slow, 1)} |`,
  );

  // A fresh key ring per batch: every batch pays its one signature check, as on a ship.
  const { ring, batches: signed } = await signedBatches(args.batch);
  let envelopes = 0;
  const started = process.hrtime.bigint();
  for (let r = 0; r < args.rounds; r += 1) {
    for (const batch of signed) {
      const keyRing = ring();
      const verdicts = await Promise.all(batch.map((raw) => verifyEnvelopeAsync(raw, keyRing)));
      if (!verdicts.every((verdict) => verdict.ok)) throw new Error('a benchmark envelope failed');
      envelopes += batch.length;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `verifyEnvelopeAsync: ${round(envelopes / seconds).toLocaleString('en-US')} master updates/s (${envelopes} in batches of ${args.batch})`,
  );
}

void main();
