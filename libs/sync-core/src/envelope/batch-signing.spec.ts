import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { MasterUpdateDto } from '../contracts/master-update.dto';
import { MessageKind } from '../contracts/message-kind.enum';
import {
  buildBatchProofs,
  leafHash,
  rootFromProof,
  walkProof,
  type KnownTree,
} from './batch-proof';
import { encodeEnvelope } from './envelope-codec';
import { inCanonicalKeyOrder } from './canonical-json';
import {
  signEnvelope,
  signEnvelopeBatchAsync,
  signEnvelopeBatchEncodedAsync,
} from './envelope-signer';
import { verifyEnvelope, verifyEnvelopeAsync } from './envelope-verifier';
import { signingKeyWithoutKeyId } from './key-id';
import { KeyRing } from './key-ring';
import { generateSigningKeyPair } from './signing-keys';

const master = generateSigningKeyPair();
const shipA = generateSigningKeyPair();

function shipRing(): KeyRing {
  return new KeyRing([['master', master.publicKey]]);
}

function update(index: number): MasterUpdateDto {
  return {
    type: 'article',
    documentId: uuidv7(),
    locale: 'en',
    version: index + 1,
    deleted: false,
    data: { title: `Document ${index}`, body: 'x'.repeat(200) },
    author: 'master:editor',
    updatedAt: '2024-01-15T10:30:00.000Z',
  };
}

async function signedBatch(
  size: number,
  key = master.privateKey,
): Promise<Record<string, unknown>[]> {
  const envelopes = await signEnvelopeBatchAsync(
    Array.from({ length: size }, (_, i) => ({
      sender: 'master',
      kind: MessageKind.MasterUpdate,
      payload: update(i),
    })),
    key,
  );
  // What a ship sees: the JSON of each message as it came over Kafka.
  return envelopes.map(
    (envelope) => JSON.parse(encodeEnvelope(envelope).toString('utf8')) as Record<string, unknown>,
  );
}

function reasonOf(raw: unknown, ring = shipRing()): string {
  const verdict = verifyEnvelope(raw, ring);
  return verdict.ok ? 'ok' : verdict.reason;
}

describe('batch proofs (RFC 9162 Merkle trees)', () => {
  const leaves = (n: number): Buffer[] =>
    Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`envelope ${i}`)));

  it('every leaf of every tree size from 1 to 70 leads to the root, and only at its own position', () => {
    for (let size = 1; size <= 70; size += 1) {
      const tree = leaves(size);
      const { root, proofs } = buildBatchProofs(tree);
      proofs.forEach((proof, i) => {
        const path = Buffer.from(proof.path, 'base64');
        expect(proof).toMatchObject({ index: i, size });
        expect(rootFromProof(tree[i], i, size, path)).toEqual(root);
        if (size > 1) {
          const other = (i + 1) % size;
          expect(rootFromProof(tree[other], i, size, path)?.equals(root) ?? false).toBe(false);
          expect(rootFromProof(tree[i], other, size, path)?.equals(root) ?? false).toBe(false);
        }
      });
    }
  });

  it('a path of the wrong length or a position outside the batch leads nowhere', () => {
    const tree = leaves(5);
    const { proofs } = buildBatchProofs(tree);
    const path = Buffer.from(proofs[4].path, 'base64');
    expect(rootFromProof(tree[4], 4, 5, Buffer.concat([path, path.subarray(0, 32)]))).toBeNull();
    expect(rootFromProof(tree[4], 4, 5, path.subarray(0, 31))).toBeNull();
    expect(rootFromProof(tree[4], 5, 5, path)).toBeNull();
    expect(rootFromProof(tree[4], -1, 5, path)).toBeNull();
  });

  it('a leaf whose path meets a node earlier leaves led through stops there, with their root', () => {
    for (const size of [2, 3, 7, 8, 64, 70, 128]) {
      const tree = leaves(size);
      const { root, proofs } = buildBatchProofs(tree);
      const known: KnownTree & { nodes: Map<number, Buffer> } = { root, nodes: new Map() };
      let computed = 0;
      let whole = 0;
      proofs.forEach((proof, i) => {
        const path = Buffer.from(proof.path, 'base64');
        const walk = walkProof(tree[i], i, size, path, known);
        expect(walk?.root).toEqual(root);
        // A walk records every node it hashed but the last (the node it met, or the root).
        computed += (walk?.nodes.size ?? 0) + 1;
        whole += path.length / 32;
        for (const [position, node] of walk?.nodes ?? []) known.nodes.set(position, node);
      });
      // Every inner node below the root is hashed once, by the first leaf that leads through it.
      expect(computed - size).toBe(size - 2);
      if (size >= 64) expect(computed).toBeLessThan(whole / 2);
    }
  });

  it('meeting a known tree vouches for nothing else: another leaf or position still leads elsewhere', () => {
    const size = 16;
    const tree = leaves(size);
    const { root, proofs } = buildBatchProofs(tree);
    const paths = proofs.map((proof) => Buffer.from(proof.path, 'base64'));
    const known = { root, nodes: new Map<number, Buffer>() };
    for (const [i, path] of paths.entries()) {
      for (const [position, node] of walkProof(tree[i], i, size, path)?.nodes ?? []) {
        known.nodes.set(position, node);
      }
    }
    const forged = leafHash(Buffer.from('forged'));
    expect(walkProof(forged, 5, size, paths[5], known)).toMatchObject({ meets: false });
    expect(walkProof(forged, 5, size, paths[5], known)?.root.equals(root)).toBe(false);
    expect(walkProof(tree[5], 4, size, paths[5], known)?.root.equals(root)).toBe(false);
    expect(walkProof(tree[5], 5, size, paths[4], known)?.root.equals(root)).toBe(false);
    // The position arithmetic runs to the end after a meeting: a path too long or short is refused.
    expect(walkProof(tree[5], 5, size, Buffer.concat([paths[5], paths[5]]), known)).toBeNull();
    expect(walkProof(tree[5], 5, size, paths[5].subarray(0, 96), known)).toBeNull();
    expect(walkProof(tree[5], 5, size, paths[5], known)).toMatchObject({ meets: true, root });
  });

  it('refuses an empty batch', () => {
    expect(() => buildBatchProofs([])).toThrow(RangeError);
  });
});

describe('signEnvelopeBatchAsync / verifying batch-signed envelopes', () => {
  it('signs a batch of 128 master updates once; a ship checks that signature once', async () => {
    const signSpy = jest.spyOn(crypto, 'sign');
    const verifySpy = jest.spyOn(crypto, 'verify');
    try {
      const batch = await signedBatch(128);
      expect(signSpy).toHaveBeenCalledTimes(1);
      expect(new Set(batch.map((envelope) => envelope.signature)).size).toBe(1);
      expect(batch[0]).toMatchObject({ schemaVersion: 2, proof: { index: 0, size: 128 } });

      const ring = shipRing();
      const verdicts = await Promise.all(batch.map((raw) => verifyEnvelopeAsync(raw, ring)));
      expect(verdicts.every((verdict) => verdict.ok)).toBe(true);
      expect(verifySpy).toHaveBeenCalledTimes(1);
      // The synchronous check of another envelope of the same batch reuses the verdict too.
      expect(reasonOf(batch[5], ring)).toBe('ok');
      expect(verifySpy).toHaveBeenCalledTimes(1);
    } finally {
      signSpy.mockRestore();
      verifySpy.mockRestore();
    }
  });

  it('a verified envelope is the plain envelope: the proof is not part of what is applied', async () => {
    const [raw] = await signedBatch(3);
    const verdict = verifyEnvelope(raw, shipRing());
    expect(verdict.ok).toBe(true);
    if (verdict.ok) {
      expect(verdict.envelope).not.toHaveProperty('proof');
      expect(verdict.envelope.kind).toBe(MessageKind.MasterUpdate);
    }
  });

  it('each envelope of a batch stands alone: any subset verifies, in any order (compaction)', async () => {
    const batch = await signedBatch(9);
    const ring = shipRing();
    for (const i of [8, 3, 0]) expect(reasonOf(batch[i], ring)).toBe('ok');
  });

  type Tamper = (batch: Record<string, unknown>[]) => unknown;
  const withProof = (
    envelope: Record<string, unknown>,
    proof: unknown,
  ): Record<string, unknown> => ({
    ...envelope,
    proof,
  });
  const proofOf = (envelope: Record<string, unknown>): Record<string, unknown> =>
    envelope.proof as Record<string, unknown>;

  it.each<[string, Tamper, string]>([
    [
      'a changed document',
      ([first]) => ({ ...first, payload: { ...(first.payload as object), version: 99 } }),
      'bad-signature',
    ],
    [
      'another envelope’s proof',
      ([first, second]) => withProof(first, second.proof),
      'bad-signature',
    ],
    [
      'a moved position',
      ([first]) => withProof(first, { ...proofOf(first), index: 1 }),
      'bad-signature',
    ],
    [
      'a changed size',
      ([first]) => withProof(first, { ...proofOf(first), size: 5 }),
      'bad-signature',
    ],
    [
      'a flipped sibling hash',
      ([first]) => {
        const path = Buffer.from(proofOf(first).path as string, 'base64');
        path[0] ^= 1;
        return withProof(first, { ...proofOf(first), path: path.toString('base64') });
      },
      'bad-signature',
    ],
    ['no proof', ([first]) => withProof(first, undefined), 'malformed'],
    [
      'a proof with an extra field',
      ([first]) => withProof(first, { ...proofOf(first), root: 'x' }),
      'malformed',
    ],
    [
      'a path that is not base64',
      ([first]) => withProof(first, { ...proofOf(first), path: '%%%%' }),
      'malformed',
    ],
    [
      'an index outside the batch',
      ([first]) => withProof(first, { ...proofOf(first), index: 4 }),
      'malformed',
    ],
    [
      'a fractional size',
      ([first]) => withProof(first, { ...proofOf(first), size: 1.5 }),
      'malformed',
    ],
    [
      'a proof on a schema version 1 envelope',
      ([first]) => ({ ...first, schemaVersion: 1 }),
      'malformed',
    ],
  ])('refuses %s', async (_name, tamper, reason) => {
    expect(reasonOf(tamper(await signedBatch(4)))).toBe(reason);
  });

  it('a tampered envelope is refused even after its batch’s root was verified', async () => {
    const batch = await signedBatch(4);
    const ring = shipRing();
    expect(reasonOf(batch[0], ring)).toBe('ok');
    const forged = { ...batch[1], payload: { ...(batch[1].payload as object), deleted: true } };
    expect(reasonOf(forged, ring)).toBe('bad-signature');
    expect((await verifyEnvelopeAsync(forged, ring)).ok).toBe(false);
  });

  it('a forgery that reuses a batch’s signature spoils nothing for the batch’s real envelopes', async () => {
    const batch = await signedBatch(8);
    const ring = shipRing();
    const forged = { ...batch[2], payload: { ...(batch[2].payload as object), version: 99 } };
    const verdicts = await Promise.all(
      [forged, ...batch, forged].map((raw) => verifyEnvelopeAsync(raw, ring)),
    );
    expect(verdicts.map((verdict) => (verdict.ok ? 'ok' : verdict.reason))).toEqual([
      'bad-signature',
      ...batch.map(() => 'ok'),
      'bad-signature',
    ]);
    expect(reasonOf(forged, ring)).toBe('bad-signature');
    for (const raw of batch) expect(reasonOf(raw, ring)).toBe('ok');
  });

  it('a captured ship cannot sign a batch as the master', async () => {
    // Unnamed, it is tried against the master's keys and fails.
    const forged = await signedBatch(4, signingKeyWithoutKeyId(shipA.privateKey));
    expect(reasonOf(forged[0])).toBe('bad-signature');
    expect(await verifyEnvelopeAsync(forged[1], shipRing())).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    // Named by its own key, it is one no configuration here has: never applied either.
    const named = await signedBatch(2, shipA.privateKey);
    expect(await verifyEnvelopeAsync(named[0], shipRing())).toMatchObject({
      ok: false,
      reason: 'unknown-key',
      verifiableLater: true,
    });
  });

  it('a batch root’s signature never passes for an envelope’s, nor the reverse', async () => {
    const [batched] = await signedBatch(2);
    const single = signEnvelope(
      { sender: 'master', kind: MessageKind.MasterUpdate, payload: update(0) },
      master.privateKey,
    );
    const { proof: _proof, ...plain } = batched;
    expect(reasonOf({ ...plain, schemaVersion: 1 })).toBe('bad-signature');
    expect(reasonOf({ ...single, schemaVersion: 2, proof: { index: 0, size: 1, path: '' } })).toBe(
      'bad-signature',
    );
  });
});

describe('signEnvelopeBatchEncodedAsync', () => {
  const drafts = (payloads: MasterUpdateDto[]) =>
    payloads.map((payload) => ({
      sender: 'master',
      kind: MessageKind.MasterUpdate as const,
      payload,
      messageId: uuidv7(),
      timestamp: '2024-01-15T10:31:00.000Z',
    }));

  it('gives the bytes JSON.stringify gives of the same batch signed as objects', async () => {
    const batch = drafts(Array.from({ length: 5 }, (_, i) => inCanonicalKeyOrder(update(i))));
    const encoded = await signEnvelopeBatchEncodedAsync(batch, master.privateKey);
    const signed = await signEnvelopeBatchAsync(batch, master.privateKey);
    expect(encoded).toEqual(signed.map((envelope) => encodeEnvelope(envelope).toString('utf8')));
  });

  it('sends data whose keys are out of order in canonical order, and every envelope verifies', async () => {
    const payload = { ...update(0), data: { title: 'T', body: 'b', alpha: { z: 1, a: [2, 1] } } };
    const batch = drafts([payload, update(1), update(2)]);
    const encoded = await signEnvelopeBatchEncodedAsync(batch, master.privateKey);
    expect(encoded[0]).toContain('"data":{"alpha":{"a":[2,1],"z":1},"body":"b","title":"T"}');
    const ring = shipRing();
    for (const text of encoded) {
      const raw = JSON.parse(text) as Record<string, unknown>;
      expect(raw).toMatchObject({ schemaVersion: 2, proof: { size: 3 } });
      expect(reasonOf(raw, ring)).toBe('ok');
    }
    const verdict = verifyEnvelope(JSON.parse(encoded[0]), ring);
    expect(verdict.ok && verdict.envelope.payload).toEqual(payload);
  });

  it('refuses a key that is not an Ed25519 private key', async () => {
    await expect(
      signEnvelopeBatchEncodedAsync(drafts([update(0)]), master.publicKey),
    ).rejects.toThrow('Ed25519 private key');
  });
});
