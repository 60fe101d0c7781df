import {
  MASTER_SENDER,
  inCanonicalKeyOrder,
  MessageKind,
  type Author,
  type ChangeOutcomesPayloadDto,
  type EnvelopeDraft,
  type LocalOnlyFields,
  type MasterUpdateDto,
} from '@offline-sync/sync-core';
import type { MasterUpdateRef } from '../documents/version-writer';
import type { PendingRow, Unsendable } from './outbox-rows';

/** Each row's envelope draft; rows without one (a master update's revision missing) set apart. */
export function draftsOf(
  group: PendingRow[],
  localOnly: LocalOnlyFields,
): {
  rows: PendingRow[];
  drafts: MasterDraft[];
  unsendable: Unsendable[];
} {
  const rows: PendingRow[] = [];
  const drafts: MasterDraft[] = [];
  const unsendable: Unsendable[] = [];
  for (const row of group) {
    const draft = draftOf(row, localOnly);
    if (draft) {
      rows.push(row);
      drafts.push(draft);
    } else {
      const ref = row.payload as unknown as MasterUpdateRef;
      unsendable.push({
        row,
        reason: 'no-revision',
        detail: `${row.kind} ${row.key}: no revision ${ref.version} to send`,
      });
    }
  }
  return { rows, drafts, unsendable };
}

export type MasterDraft = EnvelopeDraft<MessageKind.MasterUpdate | MessageKind.ChangeOutcomes>;

// Object literals rather than spreads in this file: they run once per relayed row, and a spread
// followed by more members cost the master's planner a quarter of its CPU per change.
function draftOf(row: PendingRow, localOnly: LocalOnlyFields): MasterDraft | null {
  const sender = MASTER_SENDER;
  const messageId = row.message_id;
  const timestamp = new Date(row.created_at).toISOString();
  if (row.kind === 'master-update') {
    const payload = masterUpdateOf(row, localOnly);
    return payload && { sender, messageId, timestamp, kind: MessageKind.MasterUpdate, payload };
  }
  return {
    sender,
    messageId,
    timestamp,
    kind: MessageKind.ChangeOutcomes,
    payload: inCanonicalKeyOrder(row.payload as unknown as ChangeOutcomesPayloadDto),
  };
}

/**
 * The full document version a master-update row points at, as ships receive it, without its
 * local-only fields (they stay on the master); null when the revision is missing (written in the
 * same transaction as the row, so a broken database).
 */
function masterUpdateOf(row: PendingRow, localOnly: LocalOnlyFields): MasterUpdateDto | null {
  const ref = row.payload as unknown as MasterUpdateRef;
  if (row.rev_data === null || row.rev_author === null || row.rev_at === null) return null;
  // Keys in canonical order (PostgreSQL's jsonb lists them by length): every ship's canonical
  // bytes of the update are then one JSON.stringify (canonicalJson). Members are added one by one
  // so that an optional `origin` keeps its place without a spread.
  const update: Partial<MasterUpdateDto> = {
    author: row.rev_author as Author,
    data: inCanonicalKeyOrder(localOnly.strip(ref.type, row.rev_data)),
    deleted: row.rev_deleted === true,
    documentId: ref.documentId,
    locale: ref.locale,
  };
  if (row.open_conflicts !== null) update.openConflicts = row.open_conflicts;
  if (ref.origin) update.origin = inCanonicalKeyOrder(ref.origin);
  update.type = ref.type;
  update.updatedAt = new Date(row.rev_at).toISOString();
  update.version = ref.version;
  return update as MasterUpdateDto;
}
