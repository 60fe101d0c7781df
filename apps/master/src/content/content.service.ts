import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  findUnstorableText,
  DocumentTooLargeException,
  InputValidationException,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  changedFieldNames,
  masterAuthor,
  oversizedDocumentBytes,
  type ApiPrincipal,
  uuidV7,
} from '@offline-sync/sync-core';
import { DataSource } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import type { DocumentRef } from '../documents/document-key';
import type { DocumentState } from '../documents/document-state';
import { DocumentStore } from '../documents/document-store';
import { ConcurrentCreateError, VersionWriter } from '../documents/version-writer';
import { OutboxRelay } from '../outbox/outbox-relay';
import { RevisionLog } from '../revisions/revision-log';
import type { RevisionPage } from '../revisions/revision.view';

export interface ContentDocument {
  type: string;
  id: string;
  locale: string;
  data: Record<string, unknown>;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface ContentPage {
  items: ContentDocument[];
  page: number;
  pageSize: number;
  total: number;
}

function view(state: DocumentState): ContentDocument {
  return {
    type: state.type,
    id: state.documentId,
    locale: state.locale,
    data: state.data,
    version: state.version,
    updatedAt: state.updatedAt,
    updatedBy: state.updatedBy,
  };
}

/**
 * The shore editors' content API. Every write is a new version by `master:<key name>`, with its
 * revision and its master-updates outbox row in one transaction, so it reaches every ship.
 */
@Injectable()
export class ContentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly documents: DocumentStore,
    private readonly versions: VersionWriter,
    private readonly relay: OutboxRelay,
    private readonly config: MasterConfig,
    private readonly revisionLog: RevisionLog,
  ) {}

  async create(
    type: string,
    body: { data: Record<string, unknown>; locale?: string; id?: string },
    principal: ApiPrincipal,
  ): Promise<ContentDocument> {
    const ref = this.ref(type, body.id ?? uuidV7(), body.locale);
    this.validate(type, body.data);
    return this.write(ref, principal, (current) => {
      if (current && !current.deleted) {
        throw new ConflictException(
          `${type} ${ref.documentId} (locale '${ref.locale}') already exists: PATCH it instead`,
        );
      }
      // A deletion is a version like any other and stays (as on the ships): re-creating the
      // document would bring it back on every node without anyone deciding so.
      if (current?.deleted) {
        throw new ConflictException(
          `${type} ${ref.documentId} (locale '${ref.locale}') was deleted; create a new document instead`,
        );
      }
      return { data: body.data, deleted: false };
    });
  }

  async update(
    type: string,
    id: string,
    locale: string | undefined,
    fields: Record<string, unknown>,
    principal: ApiPrincipal,
  ): Promise<ContentDocument> {
    const ref = this.ref(type, id, locale);
    return this.write(ref, principal, (current) => {
      if (!current || current.deleted) throw this.notFound(ref);
      const data = { ...current.data, ...fields };
      this.validate(type, data);
      return { data, deleted: false };
    });
  }

  async remove(
    type: string,
    id: string,
    locale: string | undefined,
    principal: ApiPrincipal,
  ): Promise<void> {
    const ref = this.ref(type, id, locale);
    await this.write(ref, principal, (current) => {
      if (!current || current.deleted) throw this.notFound(ref);
      return { data: current.data, deleted: true };
    });
  }

  async get(type: string, id: string, locale: string | undefined): Promise<ContentDocument> {
    const ref = this.ref(type, id, locale);
    const state = await this.documents.loadOne(this.dataSource.manager, ref);
    if (!state || state.deleted) throw this.notFound(ref);
    return view(state);
  }

  /**
   * The edit log of a (document, locale), deleted ones included: who made each version, what it
   * changed, the data it left and the ship change it carried out. 404 when it has no version.
   */
  async revisions(
    type: string,
    id: string,
    locale: string | undefined,
    page: number,
    pageSize: number,
  ): Promise<RevisionPage> {
    const ref = this.ref(type, id, locale);
    const { items, total } = await this.revisionLog.history(
      this.dataSource.manager,
      ref,
      page,
      pageSize,
    );
    if (total === 0) {
      throw new NotFoundException(`No ${type} ${ref.documentId} in locale '${ref.locale}'`);
    }
    return { items, page, pageSize, total };
  }

  async list(
    type: string,
    locale: string | undefined,
    page: number,
    pageSize: number,
  ): Promise<ContentPage> {
    const ref = this.ref(type, '00000000-0000-0000-0000-000000000000', locale);
    const rows = await this.dataSource.query<
      Array<{
        id: string;
        version: number;
        data: Record<string, unknown>;
        updated_at: Date;
        updated_by: string;
        total: number;
      }>
    >(
      `SELECT id, version, data, updated_at, updated_by, count(*) OVER ()::int AS total
         FROM documents WHERE type = $1 AND locale = $2 AND NOT deleted
        ORDER BY id LIMIT $3 OFFSET $4`,
      [type, ref.locale, pageSize, (page - 1) * pageSize],
    );
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && page > 1) {
      const [count] = await this.dataSource.query<[{ n: number }]>(
        `SELECT count(*)::int AS n FROM documents WHERE type = $1 AND locale = $2 AND NOT deleted`,
        [type, ref.locale],
      );
      total = count.n;
    }
    return {
      items: rows.map((r) => ({
        type,
        id: r.id,
        locale: ref.locale,
        data: r.data,
        version: r.version,
        updatedAt: new Date(r.updated_at).toISOString(),
        updatedBy: r.updated_by,
      })),
      page,
      pageSize,
      total,
    };
  }

  private async write(
    ref: DocumentRef,
    principal: ApiPrincipal,
    next: (current: DocumentState | null) => { data: Record<string, unknown>; deleted: boolean },
  ): Promise<ContentDocument> {
    const author = masterAuthor(principal.name);
    const written = await this.writeOnce(ref, author, next).catch((error: unknown) => {
      // Someone created the document between our read and our insert: decide again on it.
      if (error instanceof ConcurrentCreateError) return this.writeOnce(ref, author, next);
      throw error;
    });
    if (written.wrote) this.relay.kick();
    return view(written.state);
  }

  private async writeOnce(
    ref: DocumentRef,
    author: string,
    next: (current: DocumentState | null) => { data: Record<string, unknown>; deleted: boolean },
  ): Promise<{ state: DocumentState; wrote: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.documents.lockAndLoadOne(manager, ref);
      const { data, deleted } = next(current);
      const before = current && !current.deleted ? current.data : {};
      const changedFields = deleted ? [] : changedFieldNames(before, data);
      if (current && !current.deleted && !deleted && changedFields.length === 0) {
        return { state: current, wrote: false }; // nothing changed: no new version to broadcast
      }
      const at = new Date().toISOString();
      const version = (current?.version ?? 0) + 1;
      await this.versions.write(manager, [
        { ...ref, version, deleted, data, author, changedFields, at },
      ]);
      return {
        state: { ...ref, version, deleted, data, updatedAt: at, updatedBy: author },
        wrote: true,
      };
    });
  }

  private ref(type: string, documentId: string, locale: string | undefined): DocumentRef {
    const definition = this.config.contentTypes.get(type);
    if (!definition) throw new NotFoundException(`Content type "${type}" is not synced`);
    const resolved = locale ?? '';
    if (!definition.localized && resolved !== '') {
      throw new InputValidationException([
        { field: 'locale', reason: `"${type}" is not localized: locale must be ''` },
      ]);
    }
    if (resolved.length > LOCALE_MAX_LENGTH || !LOCALE_PATTERN.test(resolved)) {
      throw new InputValidationException([{ field: 'locale', reason: 'is not a valid locale' }]);
    }
    return { type, documentId: documentId.toLowerCase(), locale: resolved };
  }

  /** The document as it would be written: within the size limit (413) and its type's schema. */
  private validate(type: string, data: Record<string, unknown>): void {
    const oversized = oversizedDocumentBytes(data);
    if (oversized !== null) throw new DocumentTooLargeException('data', oversized);
    const errors = this.config.contentTypes.validate(type, data);
    const unstorable = findUnstorableText(data);
    if (unstorable) errors.push(unstorable);
    if (errors.length > 0) throw new InputValidationException(errors);
  }

  private notFound(ref: DocumentRef): NotFoundException {
    return new NotFoundException(
      `No ${ref.type} ${ref.documentId} in locale '${ref.locale}' (missing or deleted)`,
    );
  }
}
