import { Injectable } from '@nestjs/common';
import { masterUpdateKey } from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { OutboxWriter } from '../outbox/outbox-writer';
import { RevisionLog } from '../revisions/revision-log';
import { refKey } from './document-key';
import type { NewVersion } from './document-state';

/**
 * Writes new versions the one way every writer (ingest, content API, resolutions) must: document
 * row, revision and master-updates outbox row in the caller's transaction, each as one statement
 * whatever the number of versions.
 */
@Injectable()
export class VersionWriter {
  constructor(
    private readonly revisions: RevisionLog,
    private readonly outbox: OutboxWriter,
    private readonly config: MasterConfig,
  ) {}

  async write(manager: EntityManager, versions: NewVersion[]): Promise<void> {
    if (versions.length === 0) return;
    // Several versions of one document in a batch: the row and the compacted topic need the last.
    const latest = new Map<string, NewVersion>();
    for (const version of versions) latest.set(refKey(version), version);
    const finals = [...latest.values()];
    // A document given version 1 had no row when its writer read it: it is created only if still
    // absent (it had no row to lock, see DocumentStore). The others are rows the writer holds locked.
    const created = new Set<string>();
    for (const version of versions) if (version.version === 1) created.add(refKey(version));
    const inserts = finals.filter((v) => created.has(refKey(v)));
    const updates = finals.filter((v) => !created.has(refKey(v)));

    if (inserts.length > 0) {
      const [{ inserted }] = await manager.query<Array<{ inserted: number }>>(
        `WITH written AS (
           INSERT INTO documents (type, id, locale, version, deleted, data, updated_at, updated_by)
           SELECT x.type, x.id, x.locale, x.version, x.deleted, x.data, x.updated_at, x.updated_by
             FROM jsonb_to_recordset($1::jsonb) AS x(type text, id uuid, locale text, version int,
                  deleted boolean, data jsonb, updated_at timestamptz, updated_by text)
           ON CONFLICT (type, id, locale) DO NOTHING
           RETURNING 1)
         SELECT count(*)::int AS inserted FROM written`,
        [documentRowsJson(inserts)],
      );
      if (inserted !== inserts.length) {
        throw new ConcurrentCreateError(inserts.length - inserted);
      }
    }
    if (updates.length > 0) {
      await manager.query(
        `INSERT INTO documents (type, id, locale, version, deleted, data, updated_at, updated_by)
         SELECT x.type, x.id, x.locale, x.version, x.deleted, x.data, x.updated_at, x.updated_by
           FROM jsonb_to_recordset($1::jsonb) AS x(type text, id uuid, locale text, version int,
                deleted boolean, data jsonb, updated_at timestamptz, updated_by text)
         ON CONFLICT (type, id, locale) DO UPDATE SET
           version = EXCLUDED.version, deleted = EXCLUDED.deleted, data = EXCLUDED.data,
           updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
        [documentRowsJson(updates)],
      );
    }
    await this.revisions.append(manager, versions);
    await this.outbox.add(
      manager,
      finals.map((v) => ({
        kind: 'master-update',
        topic: this.config.topics.masterUpdates,
        key: masterUpdateKey(v.type, v.documentId, v.locale),
        payload: masterUpdateRefOf(v),
      })),
    );
  }
}

/**
 * Another transaction created a document this one read as absent and was about to create: nothing
 * is written (the caller's transaction fails), and a retry reads the document as it now is. Not a
 * fault of the input, so the ingest retries the batch rather than dead-lettering it.
 */
export class ConcurrentCreateError extends Error {
  constructor(readonly documents: number) {
    super(
      `${documents} document(s) were created by a concurrent writer; retry with their new state`,
    );
    this.name = 'ConcurrentCreateError';
  }
}

function documentRowsJson(versions: NewVersion[]): string {
  return JSON.stringify(
    versions.map((v) => ({
      type: v.type,
      id: v.documentId,
      locale: v.locale,
      version: v.version,
      deleted: v.deleted,
      data: v.data,
      updated_at: v.at,
      updated_by: v.author,
    })),
  );
}

/**
 * What a master-updates outbox row holds: the version's address (and origin), not its data. The
 * relay reads data, author and time from the revision, so the document is not written a third
 * time per version.
 */
export interface MasterUpdateRef {
  type: string;
  documentId: string;
  locale: string;
  version: number;
  origin?: { shipId: string; changeId: string };
}

export function masterUpdateRefOf(version: NewVersion): MasterUpdateRef {
  const ref: MasterUpdateRef = {
    type: version.type,
    documentId: version.documentId,
    locale: version.locale,
    version: version.version,
  };
  // Added, not spread in: this runs for every applied change.
  if (version.origin) ref.origin = version.origin;
  return ref;
}
