import type { BatchProof } from './batch-proof';
import { MessageKind } from '../contracts/message-kind.enum';
import { PayloadByKind } from '../contracts/payload-schema-for';

/** The fields of an envelope that its signature covers. */
export interface UnsignedEnvelope<K extends MessageKind = MessageKind> {
  /** Which of the sender's keys signed it (keyIdOf); absent from senders of earlier releases. */
  keyId?: string;
  schemaVersion: number;
  messageId: string;
  sender: string;
  kind: K;
  timestamp: string;
  payload: PayloadByKind[K];
}

/** A signed envelope of one kind. */
export interface EnvelopeOf<K extends MessageKind> extends UnsignedEnvelope<K> {
  signature: string;
  /** Batch-signed envelopes (schema version 2): the path from this envelope to the signed root. */
  proof?: BatchProof;
}

/** Any signed envelope; switch on `kind` to get its payload type. */
export type SignedEnvelope = { [K in MessageKind]: EnvelopeOf<K> }[MessageKind];
