import type { StoredDocument, DocumentSyncState } from '../documents/documents.table';

/** A document as the content API returns it (docs/protocol.md, "Content API"). */
export interface DocumentView {
  type: string;
  id: string;
  locale: string;
  data: Record<string, unknown>;
  version: number;
  updatedAt: string;
  sync: {
    state: DocumentSyncState;
    baseVersion: number;
    conflictId?: string;
    reason?: string;
  };
}

export function toDocumentView(document: StoredDocument): DocumentView {
  return {
    type: document.type,
    id: document.documentId,
    locale: document.locale,
    data: JSON.parse(document.data) as Record<string, unknown>,
    version: document.version,
    updatedAt: document.updatedAt,
    sync: {
      state: document.syncState,
      baseVersion: document.version,
      ...(document.conflictId ? { conflictId: document.conflictId } : {}),
      ...(document.reason ? { reason: document.reason } : {}),
    },
  };
}
