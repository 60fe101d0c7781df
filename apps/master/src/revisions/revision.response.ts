import { ApiProperty } from '@nestjs/swagger';
import { ApiJsonObject, ApiTimestamp } from '@offline-sync/sync-core';
import type { RevisionPage, RevisionView } from './revision.view';

/** One version of a document in one locale, as its edit log lists it. */
export class RevisionResponse implements RevisionView {
  @ApiProperty({ type: 'integer', minimum: 1 })
  version!: number;

  @ApiProperty({ description: 'master:<key name> or ship:<ship id>', example: 'ship:ship-a' })
  author!: string;

  @ApiProperty({ type: [String], description: 'Fields this version changed' })
  changedFields!: string[];

  @ApiProperty({ description: 'This version deleted the document' })
  deleted!: boolean;

  @ApiJsonObject({ description: 'The document data as of this version' })
  data!: Record<string, unknown>;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The ship change it carried out; null for an edit on shore',
  })
  changeId!: string | null;

  @ApiTimestamp()
  at!: string;
}

export class RevisionPageResponse implements RevisionPage {
  @ApiProperty({ type: [RevisionResponse], description: 'Oldest first' })
  items!: RevisionResponse[];

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  pageSize!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;
}
