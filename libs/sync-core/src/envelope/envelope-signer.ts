import { KeyObject, sign } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import {
  CURRENT_SCHEMA_VERSION,
  isMessageKind,
  isSenderId,
  MessageKind,
  PayloadByKind,
} from '../contracts';
import { canonicalEnvelopeBytes } from './envelope-canonical';
import { EnvelopeOf, UnsignedEnvelope } from './envelope.types';

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
  const unsigned = unsignedEnvelopeOf(draft);
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
  const unsigned = unsignedEnvelopeOf(draft);
  checkSigningKey(privateKey);
  const bytes = canonicalEnvelopeBytes(unsigned);
  const signature = await new Promise<Buffer>((resolve, reject) =>
    sign(null, bytes, privateKey, (error, result) => (error ? reject(error) : resolve(result))),
  );
  return { ...unsigned, signature: signature.toString('base64') };
}

function checkSigningKey(privateKey: KeyObject): void {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('envelopes are signed with an Ed25519 private key');
  }
}

function unsignedEnvelopeOf<K extends MessageKind>(draft: EnvelopeDraft<K>): UnsignedEnvelope<K> {
  if (!isSenderId(draft.sender)) {
    throw new RangeError(`invalid sender ${JSON.stringify(draft.sender)}`);
  }
  if (!isMessageKind(draft.kind)) {
    throw new RangeError(`invalid message kind ${JSON.stringify(draft.kind)}`);
  }
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    messageId: draft.messageId ?? uuidv7(),
    sender: draft.sender,
    kind: draft.kind,
    timestamp: draft.timestamp ?? new Date().toISOString(),
    payload: draft.payload,
  };
}
