import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiJsonObject } from '@offline-sync/sync-core';
import type { BulkWriteResult, ContentPage } from '../content.service';
import type { DocumentView } from '../document.view';
import type { DocumentSyncState } from '../../documents/documents.table';

export class DocumentSyncResponse {
  @ApiProperty({
    enum: ['synced', 'pending', 'conflict', 'rejected'],
    description: 'pending: a local edit the master has not decided on yet',
  })
  state!: DocumentSyncState;

  @ApiProperty({ type: 'integer', minimum: 0 })
  baseVersion!: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'The open conflict on the master' })
  conflictId?: string;

  @ApiPropertyOptional({ description: 'Why the master rejected the last local change' })
  reason?: string;
}

/** A document as the ship's content API returns it. */
export class DocumentResponse implements DocumentView {
  @ApiProperty({ example: 'article' })
  type!: string;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'en' })
  locale!: string;

  @ApiJsonObject()
  data!: Record<string, unknown>;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'The master version it is based on' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:30:00.000Z' })
  updatedAt!: string;

  @ApiProperty({ type: DocumentSyncResponse })
  sync!: DocumentSyncResponse;
}

export class ContentPageResponse implements ContentPage {
  @ApiProperty({ type: [DocumentResponse] })
  items!: DocumentResponse[];

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  pageSize!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;
}

export class BulkWriteResultResponse implements BulkWriteResult {
  @ApiProperty({
    type: [DocumentResponse],
    description: 'The documents the writes left, in order (deleted ones as tombstones)',
  })
  results!: DocumentResponse[];
}
