import {
  inCanonicalKeyOrder,
  MessageKind,
  signEnvelope,
  type ShipChangeDto,
} from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import type { ChangeOnWire } from '../outbox/outbox-changes.repository';
import type { OutboxEnvelope } from './sync-envelopes.table';

/** What keeps a type's local-only fields aboard (ContentTypeRegistry.localOnly). */
interface LocalOnlyFilter {
  strip(type: string, fields: Record<string, unknown>): Record<string, unknown>;
}

/**
 * A queued change as it goes on the wire, with its seq. Local-only fields are left out, also from
 * a row queued before they were declared. Keys in canonical order: the signature's canonical
 * bytes and the master's are then mostly one JSON.stringify (canonicalJson).
 */
export function shipChangeOfRow(
  row: ChangeOnWire,
  seq: number,
  localOnly: LocalOnlyFilter,
): ShipChangeDto {
  return {
    baseVersion: row.baseVersion,
    changeId: row.changeId,
    documentId: row.documentId,
    editedAt: row.editedAt,
    fields: inCanonicalKeyOrder(
      localOnly.strip(row.type, JSON.parse(row.fields) as Record<string, unknown>),
    ),
    locale: row.locale,
    op: row.op,
    seq,
    type: row.type,
  };
}

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
): OutboxEnvelope {
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
  return {
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
  };
}
