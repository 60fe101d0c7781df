import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ApiJsonObject,
  CONTENT_TYPE_PATTERN,
  IsJsonObject,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  UUID_PATTERN,
} from '@offline-sync/sync-core';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LOCALE_DESCRIPTION, LOCALE_MESSAGE } from './locale-query.dto';
import { IsNotEmptyObject } from './not-empty-object.validator';

/** Most writes one bulk request may carry: it is one transaction, answered as a whole. */
export const MAX_BULK_WRITES = 1000;

export const BULK_OPS = ['create', 'update', 'delete'] as const;
export type BulkOp = (typeof BULK_OPS)[number];

/** One write of a bulk request: what the single-document routes take, with op and type inline. */
export class BulkWriteDto {
  @ApiProperty({ enum: BULK_OPS })
  @IsIn(BULK_OPS, { message: `must be one of ${BULK_OPS.join(', ')}` })
  op!: BulkOp;

  @ApiProperty({ pattern: CONTENT_TYPE_PATTERN.source, example: 'article' })
  @Matches(CONTENT_TYPE_PATTERN, {
    message: 'must be a content type name (lower-case letters, digits and "-", at most 64)',
  })
  @IsString({ message: 'must be a content type name' })
  type!: string;

  /** Required for update and delete; on create it adds a locale to an existing document. */
  @ApiPropertyOptional({
    pattern: UUID_PATTERN.source,
    description: 'Required for update and delete; on create it adds a locale to a document',
  })
  @ValidateIf((write: BulkWriteDto) => write.op !== 'create' || write.id !== undefined)
  @Matches(UUID_PATTERN, { message: 'must be a lower-case UUID' })
  @IsString({ message: 'must be a lower-case UUID' })
  id?: string;

  @ApiPropertyOptional({
    description: LOCALE_DESCRIPTION,
    pattern: LOCALE_PATTERN.source,
    maxLength: LOCALE_MAX_LENGTH,
    example: 'en',
  })
  @IsOptional()
  @MaxLength(LOCALE_MAX_LENGTH, { message: LOCALE_MESSAGE })
  @Matches(LOCALE_PATTERN, { message: LOCALE_MESSAGE })
  @IsString({ message: LOCALE_MESSAGE })
  locale?: string;

  /** The full document on create, the changed fields on update; absent on delete. */
  @ApiJsonObject({
    required: false,
    minProperties: 1,
    description: 'The full document on create, the changed fields on update; absent on delete',
  })
  @ValidateIf((write: BulkWriteDto) => write.op !== 'delete')
  @IsNotEmptyObject()
  @IsJsonObject()
  data?: Record<string, unknown>;
}

/** `POST /api/content/_bulk`: writes applied in order, all or none. */
export class BulkWriteRequestDto {
  @ApiProperty({ type: [BulkWriteDto], minItems: 1, maxItems: MAX_BULK_WRITES })
  @ArrayMaxSize(MAX_BULK_WRITES, { message: `must hold at most ${MAX_BULK_WRITES} writes` })
  @ArrayMinSize(1, { message: 'must hold at least one write' })
  @IsArray({ message: 'must be an array of writes' })
  @ValidateNested({ each: true })
  @Type(() => BulkWriteDto)
  writes!: BulkWriteDto[];
}
