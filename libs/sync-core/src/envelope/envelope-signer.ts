import { KeyObject, sign } from 'node:crypto';
import {
  BATCH_SIGNED_SCHEMA_VERSION,
  CURRENT_SCHEMA_VERSION,
} from '../contracts/schema-version.constants';
import { isMessageKind, MessageKind } from '../contracts/message-kind.enum';
import { isSenderId } from '../contracts/wire-patterns.constants';
import { PayloadByKind } from '../contracts/payload-schema-for';
import { batchRootMessage, buildBatchProofs, leafHash, type BatchProof } from './batch-proof';
import { canonicalEnvelopeBytes, canonicalUnsignedText } from './envelope-canonical';
import { EnvelopeOf, UnsignedEnvelope } from './envelope.types';
import { signingKeyId } from './key-id';
import { uuidV7 } from '../ids/uuid-v7';

export interface EnvelopeDraft<K extends MessageKind> {
  sender: string;
  kind: K;
  /** JSON-safe data (no Dates, NaN, functions); validated by the receiver, not here. */
  payload: PayloadByKind[K];
  /** Defaults to a new UUIDv7. Reuse the id when re-sending the same message. */
  messageId?: string;
  /** Defaults to now. */
  timestamp?: string;
}

/** The base64 Ed25519 signature of an envelope's canonical bytes (its `signature` is ignored). */
export function signatureFor(envelope: object, privateKey: KeyObject): string {
  checkSigningKey(privateKey);
  return sign(null, canonicalEnvelopeBytes(envelope), privateKey).toString('base64');
}

/**
 * Wraps a payload in a signed envelope. One signature covers the whole batch, whatever its size:
 * signing per change would cost more than the data (see notes/limits.md).
 */
export function signEnvelope<K extends MessageKind>(
  draft: EnvelopeDraft<K>,
  privateKey: KeyObject,
): EnvelopeOf<K> {
  const unsigned = unsignedEnvelopeOf(draft, keyIdFor(privateKey));
  return { ...unsigned, signature: signatureFor(unsigned, privateKey) };
}

/**
 * The same envelope as `signEnvelope` (Ed25519 signatures are deterministic), signed on libuv's
 * thread pool: a sender of many envelopes (the master's relay signs one per document version)
 * keeps its event loop for other work, and the signing runs on the machine's other cores.
 */
export async function signEnvelopeAsync<K extends MessageKind>(
  draft: EnvelopeDraft<K>,
  privateKey: KeyObject,
): Promise<EnvelopeOf<K>> {
  const unsigned = unsignedEnvelopeOf(draft, keyIdFor(privateKey));
  const signature = await signAsync(canonicalEnvelopeBytes(unsigned), privateKey);
  return { ...unsigned, signature };
}

/**
 * Signs many envelopes with one signature (schema version 2): over the root of a Merkle tree of
 * their canonical bytes, each envelope carrying its proof. For a sender of many small messages
 * that must stay separate on the wire (the master's updates, one per document on a compacted
 * topic), so that neither it nor its receivers pay one Ed25519 operation per document.
 */
export async function signEnvelopeBatchAsync<K extends MessageKind>(
  drafts: readonly EnvelopeDraft<K>[],
  privateKey: KeyObject,
): Promise<EnvelopeOf<K>[]> {
  const keyId = keyIdFor(privateKey);
  const unsigned = drafts.map((draft) =>
    unsignedEnvelopeOf(draft, keyId, BATCH_SIGNED_SCHEMA_VERSION),
  );
  const { signature, proofs } = await signBatch(
    unsigned.map((envelope) => canonicalEnvelopeBytes(envelope)),
    privateKey,
  );
  return unsigned.map((envelope, i) => ({ ...envelope, signature, proof: proofs[i] }));
}

/**
 * The same batch as `signEnvelopeBatchAsync`, as the JSON text of each envelope: its canonical
 * text, which the signature covers anyway, with `signature` and `proof` appended. For a sender
 * that only puts the envelopes on the wire (the master's relay), so that an envelope is serialised
 * once instead of once for its leaf and once more for Kafka. The text is JSON.stringify's of the
 * signed envelope whenever the draft lists its keys in canonical order (inCanonicalKeyOrder).
 */
export async function signEnvelopeBatchEncodedAsync<K extends MessageKind>(
  drafts: readonly EnvelopeDraft<K>[],
  privateKey: KeyObject,
): Promise<string[]> {
  const keyId = keyIdFor(privateKey);
  const texts = drafts.map((draft) =>
    canonicalUnsignedText(unsignedEnvelopeOf(draft, keyId, BATCH_SIGNED_SCHEMA_VERSION)),
  );
  const { signature, proofs } = await signBatch(
    texts.map((text) => Buffer.from(text, 'utf8')),
    privateKey,
  );
  const signed = `,"signature":${JSON.stringify(signature)},"proof":`;
  // Canonical text of an object ends with its closing brace: the members go before it.
  return texts.map((text, i) => `${text.slice(0, -1)}${signed}${JSON.stringify(proofs[i])}}`);
}

/** One signature over the Merkle root of the envelopes' canonical bytes, and each one's proof. */
async function signBatch(
  canonical: readonly Buffer[],
  privateKey: KeyObject,
): Promise<{ signature: string; proofs: BatchProof[] }> {
  checkSigningKey(privateKey);
  const { root, proofs } = buildBatchProofs(canonical.map((bytes) => leafHash(bytes)));
  const signature = await signAsync(batchRootMessage(canonical.length, root), privateKey);
  return { signature, proofs };
}

async function signAsync(bytes: Buffer, privateKey: KeyObject): Promise<string> {
  const signature = await new Promise<Buffer>((resolve, reject) =>
    sign(null, bytes, privateKey, (error, result) => (error ? reject(error) : resolve(result))),
  );
  return signature.toString('base64');
}

/** The key id its envelopes carry, once the key is known to be one envelopes are signed with. */
function keyIdFor(privateKey: KeyObject): string | undefined {
  checkSigningKey(privateKey);
  return signingKeyId(privateKey);
}

function checkSigningKey(privateKey: KeyObject): void {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('envelopes are signed with an Ed25519 private key');
  }
}

function unsignedEnvelopeOf<K extends MessageKind>(
  draft: EnvelopeDraft<K>,
  keyId: string | undefined,
  schemaVersion = CURRENT_SCHEMA_VERSION,
): UnsignedEnvelope<K> {
  if (!isSenderId(draft.sender)) {
    throw new RangeError(`invalid sender ${JSON.stringify(draft.sender)}`);
  }
  if (!isMessageKind(draft.kind)) {
    throw new RangeError(`invalid message kind ${JSON.stringify(draft.kind)}`);
  }
  // Keys in canonical order ("keyId" < "kind"; signature and proof go after them): the
  // receiver's canonical bytes of what it parses are then one JSON.stringify (canonicalJson).
  const kind = draft.kind;
  const messageId = draft.messageId ?? uuidV7();
  const payload = draft.payload;
  const sender = draft.sender;
  const timestamp = draft.timestamp ?? new Date().toISOString();
  return keyId === undefined
    ? { kind, messageId, payload, schemaVersion, sender, timestamp }
    : { keyId, kind, messageId, payload, schemaVersion, sender, timestamp };
}
