import { Injectable, NotFoundException } from '@nestjs/common';
import {
  InputValidationException,
  masterUpdateKey,
  type ContentTypeDefinition,
} from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import { RelayService } from '../relay/relay.service';
import { checkDocumentData } from './check-document-data';
import type { ContentWrite } from './content-write';
import { toDocumentView, type DocumentView } from './document.view';
import { DocumentEntity } from './entities/document.entity';
import { GroupCommitService } from './group-commit.service';

export { MAX_DOCUMENT_BYTES } from './check-document-data';

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
  ) {}

  async create(
    type: string,
    input: { data: Record<string, unknown>; locale?: string; id?: string },
  ): Promise<DocumentView> {
    const definition = this.typeOf(type);
    const locale = this.localeFor(definition, input.locale);
    const data = JSON.stringify(input.data);
    checkDocumentData(this.config.contentTypes, type, input.data, data);
    const documentId = input.id ?? uuidv7();
    const key = masterUpdateKey(type, documentId, locale);
    return this.write({ op: 'create', key, type, documentId, locale, data });
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
    return this.write({ op: 'update', key, type, documentId, locale, patch });
  }

  async remove(type: string, documentId: string, localeInput: string | undefined): Promise<void> {
    const definition = this.typeOf(type);
    const locale = this.localeFor(definition, localeInput);
    const key = masterUpdateKey(type, documentId, locale);
    await this.write({ op: 'delete', key, type, documentId, locale });
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
}
