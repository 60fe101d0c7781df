import { MessageKind, signEnvelope, type ShipChangeDto } from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { OutboxEnvelopeEntity } from './entities/outbox-envelope.entity';

/**
 * A signed envelope of changes as the relay stores it before its first send: every retry sends
 * these very bytes, so the master recognises a redelivery.
 */
export function sealedEnvelopeRow(
  changes: ShipChangeDto[],
  seal: {
    sender: string;
    messageId: string;
    /** The ship's clock (ShipClock): the master bounds it by its own on arrival. */
    timestamp: string;
    signingKey: KeyObject;
    /** The machine's clock, for the row's own bookkeeping. */
    now: string;
  },
): OutboxEnvelopeEntity {
  const envelope = signEnvelope(
    {
      sender: seal.sender,
      kind: MessageKind.ShipChanges,
      payload: { changes },
      messageId: seal.messageId,
      timestamp: seal.timestamp,
    },
    seal.signingKey,
  );
  return Object.assign(new OutboxEnvelopeEntity(), {
    messageId: seal.messageId,
    firstSeq: changes[0].seq,
    lastSeq: changes[changes.length - 1].seq,
    changeCount: changes.length,
    body: JSON.stringify(envelope),
    status: 'pending',
    attempts: 0,
    lastError: null,
    createdAt: seal.now,
    sentAt: null,
  });
}
