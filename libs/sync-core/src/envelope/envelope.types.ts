import { MessageKind, PayloadByKind } from '../contracts';

/** The fields of an envelope that its signature covers. */
export interface UnsignedEnvelope<K extends MessageKind = MessageKind> {
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
}

/** Any signed envelope; switch on `kind` to get its payload type. */
export type SignedEnvelope = { [K in MessageKind]: EnvelopeOf<K> }[MessageKind];
