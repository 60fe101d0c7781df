import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import {
  InputValidationException,
  jsonEqual,
  masterUpdateKey,
  type ContentTypeDefinition,
  type FieldError,
} from '@offline-sync/sync-core';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ShipConfig } from '../core/config/ship-config';
import { isoNow } from '../core/database/iso-now';
import { ShipDatabase } from '../core/database/ship-database.service';
import { OutboxService } from '../outbox/outbox.service';
import { RelayService } from '../relay/relay.service';
import { toDocumentView, type DocumentView } from './document.view';
import { DocumentEntity, type DocumentSyncState } from './entities/document.entity';

/** Largest document accepted, as JSON text: it must fit a Kafka message with room to spare. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

export interface ContentPage {
  items: DocumentView[];
  page: number;
  pageSize: number;
  total: number;
}

/**
 * The crew's local content. Every write commits the document and its outbox row in one local
 * transaction and returns; the relay sends later, whether or not a link is up right now.
 */
@Injectable()
export class ContentService {
  constructor(
    private readonly config: ShipConfig,
    private readonly db: ShipDatabase,
    private readonly outbox: OutboxService,
    private readonly relay: RelayService,
  ) {}

  async create(
    type: string,
    input: { data: Record<string, unknown>; locale?: string; id?: string },
  ): Promise<DocumentView> {
    const definition = this.typeOf(type);
    const locale = this.localeFor(definition, input.locale);
    this.checkData(type, input.data);
    const documentId = input.id ?? uuidv7();
    const key = masterUpdateKey(type, documentId, locale);
    const now = isoNow();
    const document: DocumentEntity = {
      key,
      type,
      documentId,
      locale,
      data: JSON.stringify(input.data),
      version: 0,
      deleted: false,
      syncState: 'pending',
      conflictId: null,
      conflictVersion: null,
      conflictAt: null,
      reason: null,
      heldVersion: null,
      heldUpdate: null,
      createdAt: now,
      updatedAt: now,
    };
    let view: DocumentView;
    try {
      // No look-up first: the primary key refuses a document that exists (the rare case), and
      // every statement saved is a round trip saved on each crew write.
      view = await this.db.transaction(async (manager) => {
        await manager
          .createQueryBuilder()
          .insert()
          .into(DocumentEntity)
          .values(document)
          .updateEntity(false)
          .execute();
        await this.outbox.enqueue(manager, {
          docKey: key,
          type,
          documentId,
          locale,
          op: 'create',
          fields: input.data,
          baseVersion: 0,
        });
        return toDocumentView(document);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.db.read((manager) =>
        manager.findOne(DocumentEntity, { where: { key } }),
      );
      throw new ConflictException(
        existing?.deleted
          ? `${type} ${documentId} (locale '${locale}') was deleted; create a new document instead`
          : `${type} ${documentId} (locale '${locale}') already exists`,
      );
    }
    this.relay.notifyWrite();
    return view;
  }

  async update(
    type: string,
    documentId: string,
    localeInput: string | undefined,
    patch: Record<string, unknown>,
  ): Promise<DocumentView> {
    const definition = this.typeOf(type);
    const locale = this.localeFor(definition, localeInput);
    const key = masterUpdateKey(type, documentId, locale);
    let changed = false;
    const view = await this.db.transaction(async (manager) => {
      const document = await this.findLive(manager, key, type, documentId, locale);
      const current = JSON.parse(document.data) as Record<string, unknown>;
      const fields = Object.fromEntries(
        Object.entries(patch).filter(([name, value]) => !jsonEqual(current[name], value)),
      );
      if (Object.keys(fields).length === 0) return toDocumentView(document);
      const data = { ...current, ...fields };
      this.checkData(type, data);
      changed = true;
      document.data = JSON.stringify(data);
      document.syncState = localEditState(document.syncState);
      document.updatedAt = isoNow();
      await manager.update(
        DocumentEntity,
        { key },
        { data: document.data, syncState: document.syncState, updatedAt: document.updatedAt },
      );
      await this.outbox.enqueue(manager, {
        docKey: key,
        type,
        documentId,
        locale,
        op: 'update',
        fields,
        baseVersion: document.version,
      });
      return toDocumentView(document);
    });
    if (changed) this.relay.notifyWrite();
    return view;
  }

  async remove(type: string, documentId: string, localeInput: string | undefined): Promise<void> {
    const definition = this.typeOf(type);
    const locale = this.localeFor(definition, localeInput);
    const key = masterUpdateKey(type, documentId, locale);
    await this.db.transaction(async (manager) => {
      const document = await this.findLive(manager, key, type, documentId, locale);
      // The row stays as a tombstone: the deletion is a versioned change like any other.
      await manager.update(
        DocumentEntity,
        { key },
        { deleted: true, syncState: localEditState(document.syncState), updatedAt: isoNow() },
      );
      await this.outbox.enqueue(manager, {
        docKey: key,
        type,
        documentId,
        locale,
        op: 'delete',
        fields: {},
        baseVersion: document.version,
      });
    });
    this.relay.notifyWrite();
  }

  async get(
    type: string,
    documentId: string,
    localeInput: string | undefined,
  ): Promise<DocumentView> {
    const definition = this.typeOf(type);
    const locale = this.localeFor(definition, localeInput);
    const key = masterUpdateKey(type, documentId, locale);
    return this.db.read(async (manager) =>
      toDocumentView(await this.findLive(manager, key, type, documentId, locale)),
    );
  }

  async list(
    type: string,
    locale: string | undefined,
    page: number,
    pageSize: number,
  ): Promise<ContentPage> {
    const definition = this.typeOf(type);
    if (locale !== undefined) this.localeFor(definition, locale);
    return this.db.read(async (manager) => {
      const [rows, total] = await manager.findAndCount(DocumentEntity, {
        where: { type, deleted: false, ...(locale === undefined ? {} : { locale }) },
        order: { documentId: 'ASC', locale: 'ASC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      });
      return { items: rows.map(toDocumentView), page, pageSize, total };
    });
  }

  private async findLive(
    manager: EntityManager,
    key: string,
    type: string,
    documentId: string,
    locale: string,
  ): Promise<DocumentEntity> {
    const document = await manager.findOne(DocumentEntity, { where: { key } });
    if (!document || document.deleted) {
      throw new NotFoundException(`${type} ${documentId} (locale '${locale}') does not exist`);
    }
    return document;
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

  private checkData(type: string, data: Record<string, unknown>): void {
    const errors: FieldError[] = this.config.contentTypes.validate(type, data);
    if (Buffer.byteLength(JSON.stringify(data)) > MAX_DOCUMENT_BYTES) {
      errors.push({ field: 'data', reason: `must be at most ${MAX_DOCUMENT_BYTES} bytes of JSON` });
    }
    if (errors.length > 0) throw new InputValidationException(errors);
  }
}

/** The primary key refused a row (SQLite SQLITE_CONSTRAINT_PRIMARYKEY/UNIQUE, PostgreSQL 23505). */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  const code =
    typeof driverError === 'object' && driverError !== null && 'code' in driverError
      ? String(driverError.code)
      : '';
  return code === '23505' || /UNIQUE constraint failed|PRIMARY KEY/i.test(error.message);
}

/** A local edit makes a document pending, except that an open conflict stays shown until resolved. */
function localEditState(state: DocumentSyncState): DocumentSyncState {
  return state === 'conflict' ? 'conflict' : 'pending';
}
