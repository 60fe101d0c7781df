import { Injectable } from '@nestjs/common';
import { contentChecksum, type ContentChecksum } from '@offline-sync/sync-core';
import { DocumentEntity } from '../content/entities/document.entity';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';

@Injectable()
export class ChecksumService {
  constructor(
    private readonly db: ShipDatabase,
    private readonly config: ShipConfig,
  ) {}

  /** Fingerprint of the ship's live documents at their base versions (see contentChecksum). */
  checksum(): Promise<ContentChecksum> {
    return this.db.read(async (manager) => {
      const documents = await manager.getRepository(DocumentEntity).find({
        where: { deleted: false },
        select: { type: true, documentId: true, locale: true, version: true, data: true },
      });
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
