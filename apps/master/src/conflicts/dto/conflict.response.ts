import { ApiProperty } from '@nestjs/swagger';
import { ApiJsonObject, ApiJsonValue, ApiTimestamp } from '@offline-sync/sync-core';
import type { ConflictView, FieldDifferenceView, RestorationView } from '../conflict.view';
import type { ConflictPage } from '../conflicts.service';
import { RESOLUTION_STRATEGIES } from './resolve-conflict.dto';

export class FieldDifferenceResponse implements FieldDifferenceView {
  @ApiProperty({ example: 'title' })
  field!: string;

  @ApiJsonValue({ description: "The ship's value (absent: the ship's copy lacks the field)" })
  ship!: unknown;

  @ApiJsonValue({ description: "The master's value (absent: the master's copy lacks it)" })
  master!: unknown;

  @ApiJsonValue({ description: 'The value both started from (absent: the base lacks it)' })
  base!: unknown;
}

export class ConflictShipSideResponse {
  @ApiJsonObject({ description: "The ship's copy: its base data with its changed fields" })
  data!: Record<string, unknown>;

  @ApiProperty({ description: 'The ship deleted the document' })
  deleted!: boolean;

  @ApiProperty({ type: [String], description: "The fields the ship's change(s) set, sorted" })
  changedFields!: string[];
}

export class ConflictMasterSideResponse {
  @ApiProperty({ type: 'integer', minimum: 0, example: 2 })
  version!: number;

  @ApiJsonObject()
  data!: Record<string, unknown>;

  @ApiProperty()
  deleted!: boolean;
}

export class ConflictResolutionResponse {
  @ApiProperty({ enum: RESOLUTION_STRATEGIES, example: 'merge' })
  strategy!: string;

  @ApiJsonObject({ nullable: true, description: 'The resulting document data' })
  data!: Record<string, unknown> | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The master version it made' })
  version!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'master:operator' })
  by!: string | null;

  @ApiTimestamp({ nullable: true })
  at!: string | null;
}

/** A losing side an operator put back as a new version. */
export class RestorationResponse implements RestorationView {
  @ApiProperty({ enum: ['ship', 'master'] })
  side!: 'ship' | 'master';

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The master version it made' })
  version!: number;

  @ApiProperty({ example: 'master:operator' })
  by!: string;

  @ApiTimestamp()
  at!: string;
}

/** A conflict: both sides' data, the base, and (one conflict) the field-level difference. */
export class ConflictResponse implements ConflictView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Content type', example: 'article' })
  type!: string;

  @ApiProperty({ format: 'uuid' })
  documentId!: string;

  @ApiProperty({ description: "'' for an unlocalised document", example: 'en' })
  locale!: string;

  @ApiProperty({ example: 'ship-a' })
  shipId!: string;

  @ApiProperty({ format: 'uuid', description: 'The latest ship change this conflict holds' })
  changeId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: "That change's per-ship sequence" })
  seq!: number;

  @ApiProperty({ example: 'update-update' })
  conflictType!: string;

  @ApiProperty({ description: "The content type's policy that opened it", example: 'manual' })
  rule!: string;

  @ApiProperty({ enum: ['open', 'resolved'] })
  status!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  baseVersion!: number;

  @ApiJsonObject({ nullable: true, description: 'The data both started from (null: created)' })
  base!: Record<string, unknown> | null;

  @ApiProperty({ type: ConflictShipSideResponse })
  ship!: ConflictShipSideResponse;

  @ApiProperty({ type: ConflictMasterSideResponse })
  master!: ConflictMasterSideResponse;

  @ApiProperty({ type: [String], description: 'Who else wrote the document since the base' })
  foreignAuthors!: string[];

  @ApiProperty({
    type: [FieldDifferenceResponse],
    required: false,
    description: 'Field by field, where ship and master differ (one conflict only)',
  })
  differences?: FieldDifferenceResponse[];

  @ApiProperty({ type: ConflictResolutionResponse, nullable: true })
  resolution!: ConflictResolutionResponse | null;

  @ApiProperty({
    type: [RestorationResponse],
    required: false,
    description: 'Losing sides put back as new versions, oldest first (one conflict only)',
  })
  restorations?: RestorationResponse[];

  @ApiTimestamp()
  createdAt!: string;

  @ApiTimestamp()
  updatedAt!: string;
}

export class ConflictCountsResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  open!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  resolved!: number;
}

export class ConflictPageResponse implements ConflictPage {
  @ApiProperty({ type: [ConflictResponse] })
  items!: ConflictResponse[];

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  pageSize!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;

  @ApiProperty({
    type: ConflictCountsResponse,
    description: 'Every open and resolved conflict, whatever the filters',
  })
  counts!: ConflictCountsResponse;
}
