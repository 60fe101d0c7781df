import { Injectable } from '@nestjs/common';
import { contentChecksum, type ContentChecksum } from '@offline-sync/sync-core';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import { DocumentsRepository } from '../documents/documents.repository';

@Injectable()
export class ChecksumService {
  constructor(
    private readonly db: ShipDatabase,
    private readonly config: ShipConfig,
    private readonly documents: DocumentsRepository,
  ) {}

  /** Fingerprint of the ship's live documents at their base versions (see contentChecksum). */
  checksum(): Promise<ContentChecksum> {
    return this.db.read(async (db) => {
      const documents = await this.documents.liveForChecksum(db);
      return contentChecksum(
        documents.map((d) => ({
          type: d.type,
          documentId: d.documentId,
          locale: d.locale,
          version: d.version,
          data: JSON.parse(d.data) as Record<string, unknown>,
        })),
        this.config.contentTypes.localOnly,
      );
    });
  }
}
