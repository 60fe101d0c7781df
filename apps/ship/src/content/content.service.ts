import { HttpException, Injectable, NotFoundException } from '@nestjs/common';
import {
  DocumentTooLargeException,
  InputValidationException,
  masterUpdateKey,
  type ContentTypeDefinition,
  uuidV7,
} from '@offline-sync/sync-core';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import { RelayService } from '../relay/relay.service';
import { checkDocumentData } from './check-document-data';
import type { ContentWrite } from './content-write';
import type { BulkWriteDto } from './dto/bulk-write.dto';
import { toDocumentView, type DocumentView } from './document.view';
import { DocumentsRepository } from '../documents/documents.repository';
import { GroupCommitService } from './group-commit.service';

/** The documents a bulk request left, in the order of its writes (deleted ones as tombstones). */
export interface BulkWriteResult {
  results: DocumentView[];
}

export interface ContentPage {
  items: DocumentView[];
  page: number;
  pageSize: number;
  total: number;
}

/**
 * The crew's local content. Every write commits the document and its outbox row in one local
 * transaction (shared with concurrent writes: GroupCommitService) and returns once it is on disk;
 * the relay sends later, whether or not a link is up right now.
 */
@Injectable()
export class ContentService {
  constructor(
    private readonly config: ShipConfig,
    private readonly db: ShipDatabase,
    private readonly relay: RelayService,
    private readonly writes: GroupCommitService,
    private readonly documents: DocumentsRepository,
  ) {}

  async create(
    type: string,
    input: { data: Record<string, unknown>; locale?: string; id?: string },
  ): Promise<DocumentView> {
    return this.write(this.createWrite(type, input));
  }

  async update(
    type: string,
    documentId: string,
    locale: string | undefined,
    patch: Record<string, unknown>,
  ): Promise<DocumentView> {
    return this.write({ ...this.target(type, documentId, locale), op: 'update', patch });
  }

  async remove(type: string, documentId: string, locale: string | undefined): Promise<void> {
    await this.write({ ...this.target(type, documentId, locale), op: 'delete' });
  }

  /**
   * Applies the writes in order in one transaction, all or none: the first refused write (named
   * by its index, e.g. `writes[3].data.title`) refuses the request and nothing is written.
   */
  async bulk(writes: readonly BulkWriteDto[]): Promise<BulkWriteResult> {
    const prepared = writes.map((write, i) => {
      try {
        return this.bulkWrite(write);
      } catch (error) {
        throw atWrite(i, error);
      }
    });
    const outcomes = await this.writes.submitAll(prepared);
    const views: DocumentView[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      if (!outcome.ok) throw atWrite(i, outcome.error);
      views.push(outcome.view);
    }
    if (outcomes.some((o) => o.ok && o.changed)) this.relay.notifyWrite();
    return { results: views };
  }

  private bulkWrite(write: BulkWriteDto): ContentWrite {
    if (write.op === 'create') {
      return this.createWrite(write.type, {
        data: write.data ?? {},
        locale: write.locale,
        id: write.id,
      });
    }
    // The DTO requires an id for update and delete.
    const target = this.target(write.type, write.id ?? '', write.locale);
    if (write.op === 'update') return { ...target, op: 'update', patch: write.data ?? {} };
    if (write.data !== undefined) {
      throw new InputValidationException([{ field: 'data', reason: 'must be absent on delete' }]);
    }
    return { ...target, op: 'delete' };
  }

  private createWrite(
    type: string,
    input: { data: Record<string, unknown>; locale?: string; id?: string },
  ): ContentWrite {
    const definition = this.typeOf(type);
    const locale = this.localeFor(definition, input.locale);
    const data = JSON.stringify(input.data);
    checkDocumentData(this.config.contentTypes, type, input.data, data);
    const documentId = input.id ?? uuidV7();
    const key = masterUpdateKey(type, documentId, locale);
    return {
      op: 'create',
      key,
      type,
      documentId,
      locale,
      data,
      fields: input.data,
      newId: input.id === undefined,
    };
  }

  /** The document an update or delete names, its type and locale checked. */
  private target(
    type: string,
    documentId: string,
    localeInput: string | undefined,
  ): { key: string; type: string; documentId: string; locale: string } {
    const locale = this.localeFor(this.typeOf(type), localeInput);
    return { key: masterUpdateKey(type, documentId, locale), type, documentId, locale };
  }

  /** Commits one write (with whatever others arrive meanwhile); then the relay may send it. */
  private async write(write: ContentWrite): Promise<DocumentView> {
    const outcome = await this.writes.submit(write);
    if (!outcome.ok) throw outcome.error;
    if (outcome.changed) this.relay.notifyWrite();
    return outcome.view;
  }

  async get(
    type: string,
    documentId: string,
    localeInput: string | undefined,
  ): Promise<DocumentView> {
    const definition = this.typeOf(type);
    const locale = this.localeFor(definition, localeInput);
    const key = masterUpdateKey(type, documentId, locale);
    const document = await this.db.read((db) => this.documents.find(db, key));
    if (!document || document.deleted) {
      throw new NotFoundException(`${type} ${documentId} (locale '${locale}') does not exist`);
    }
    return toDocumentView(document);
  }

  async list(
    type: string,
    locale: string | undefined,
    page: number,
    pageSize: number,
  ): Promise<ContentPage> {
    const definition = this.typeOf(type);
    if (locale !== undefined) this.localeFor(definition, locale);
    const { rows, total } = await this.db.read((db) =>
      this.documents.listLive(db, { type, locale }, page, pageSize),
    );
    return { items: rows.map(toDocumentView), page, pageSize, total };
  }

  private typeOf(type: string): ContentTypeDefinition {
    const definition = this.config.contentTypes.get(type);
    if (!definition) {
      throw new InputValidationException([
        { field: 'type', reason: `'${type}' is not a content type this ship syncs` },
      ]);
    }
    return definition;
  }

  private localeFor(definition: ContentTypeDefinition, locale: string | undefined): string {
    const value = locale ?? '';
    if (!definition.localized && value !== '') {
      throw new InputValidationException([
        { field: 'locale', reason: `must be '' for ${definition.name} (it is not localized)` },
      ]);
    }
    return value;
  }
}

/** A bulk write's error, naming the write it is about (`writes[3]`), with its status kept. */
function atWrite(index: number, error: unknown): unknown {
  const at = `writes[${index}]`;
  if (error instanceof DocumentTooLargeException) {
    return new DocumentTooLargeException(`${at}.${error.field}`, error.bytes);
  }
  if (error instanceof InputValidationException) {
    return new InputValidationException(
      error.fieldErrors.map((e) => ({ field: `${at}.${e.field}`, reason: e.reason })),
    );
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return new HttpException(
      {
        statusCode: status,
        error: error.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'),
        message: `${at}: ${error.message}`,
        errors: [{ field: at, reason: error.message }],
      },
      status,
    );
  }
  return error;
}
