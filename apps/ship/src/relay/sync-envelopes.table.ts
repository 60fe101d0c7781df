/** pending: to be sent (again); sent: the broker confirmed it; failed: retries exhausted. */
export type EnvelopeStatus = 'pending' | 'sent' | 'failed';

/**
 * A signed batch of changes exactly as it goes on the wire. It is stored before the first send and
 * every retry sends these same bytes, so the master recognises a redelivery by its messageId.
 */
export interface OutboxEnvelope {
  messageId: string;
  firstSeq: number;
  lastSeq: number;
  changeCount: number;
  /** The encoded signed envelope. */
  body: string;
  status: EnvelopeStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** The `sync_envelopes` table as stored. */
export interface SyncEnvelopesTable {
  message_id: string;
  first_seq: number;
  last_seq: number;
  change_count: number;
  body: string;
  status: EnvelopeStatus;
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export function outboxEnvelope(row: SyncEnvelopesTable): OutboxEnvelope {
  return {
    messageId: row.message_id,
    firstSeq: row.first_seq,
    lastSeq: row.last_seq,
    changeCount: row.change_count,
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

export function syncEnvelopeRow(envelope: OutboxEnvelope): SyncEnvelopesTable {
  return {
    message_id: envelope.messageId,
    first_seq: envelope.firstSeq,
    last_seq: envelope.lastSeq,
    change_count: envelope.changeCount,
    body: envelope.body,
    status: envelope.status,
    attempts: envelope.attempts,
    last_error: envelope.lastError,
    created_at: envelope.createdAt,
    sent_at: envelope.sentAt,
  };
}

declare module '../core/database/ship-tables' {
  interface ShipTables {
    sync_envelopes: SyncEnvelopesTable;
  }
}
