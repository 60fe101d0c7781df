import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { contentChecksum, type ContentChecksum } from '@offline-sync/sync-core';
import { DataSource } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { MasterDocument } from '../documents/entities/master-document.entity';

@Injectable()
export class ChecksumService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: MasterConfig,
  ) {}

  /** Fingerprint of the master's live documents (see contentChecksum): equal on converged ships. */
  async checksum(): Promise<ContentChecksum> {
    const documents = await this.dataSource.getRepository(MasterDocument).find({
      where: { deleted: false },
      select: { type: true, id: true, locale: true, version: true, data: true },
    });
    return contentChecksum(
      documents.map((d) => ({
        type: d.type,
        documentId: d.id,
        locale: d.locale,
        version: d.version,
        data: d.data,
      })),
      this.config.contentTypes.localOnly,
    );
  }
}
