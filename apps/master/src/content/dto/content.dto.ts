import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { ApiJsonObject, IsJsonObject, PaginationQueryDto } from '@offline-sync/sync-core';
import { IsOptional, IsString, IsUUID } from 'class-validator';
import type { ContentDocument, ContentPage } from '../content.service';

const LOCALE_DESCRIPTION = "'' (default) for unlocalised documents, else a tag such as en or pt-BR";

export class LocaleQueryDto {
  /** '' (default) for unlocalised documents. */
  @ApiPropertyOptional({ description: LOCALE_DESCRIPTION, example: 'en' })
  @IsOptional()
  @IsString()
  locale?: string;
}

export class ContentListQueryDto extends IntersectionType(LocaleQueryDto, PaginationQueryDto) {}

export class CreateContentDto {
  @ApiJsonObject({ description: 'The document data, valid for the content type' })
  @IsJsonObject()
  data!: Record<string, unknown>;

  @ApiPropertyOptional({ description: LOCALE_DESCRIPTION, example: 'en' })
  @IsOptional()
  @IsString()
  locale?: string;

  /** Adds another locale of an existing document; otherwise a UUIDv7 is minted. */
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Adds another locale of an existing document; otherwise a UUIDv7 is minted',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  id?: string;
}

export class UpdateContentDto {
  /** The changed fields only. */
  @ApiJsonObject({ description: 'The changed fields only; the others keep their values' })
  @IsJsonObject()
  data!: Record<string, unknown>;
}

/** A document as the master's content API returns it. */
export class ContentDocumentResponse implements ContentDocument {
  @ApiProperty({ example: 'article' })
  type!: string;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'en' })
  locale!: string;

  @ApiJsonObject()
  data!: Record<string, unknown>;

  @ApiProperty({ type: 'integer', minimum: 1, example: 3 })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:30:00.000Z' })
  updatedAt!: string;

  @ApiProperty({ description: 'master:<key name> or ship:<ship id>', example: 'ship:ship-a' })
  updatedBy!: string;
}

export class ContentPageResponse implements ContentPage {
  @ApiProperty({ type: [ContentDocumentResponse] })
  items!: ContentDocumentResponse[];

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  pageSize!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;
}
