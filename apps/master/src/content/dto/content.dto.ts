import { IntersectionType } from '@nestjs/swagger';
import { PaginationQueryDto } from '@offline-sync/sync-core';
import { IsObject, IsOptional, IsString, IsUUID } from 'class-validator';

export class LocaleQueryDto {
  /** '' (default) for unlocalised documents. */
  @IsOptional()
  @IsString()
  locale?: string;
}

export class ContentListQueryDto extends IntersectionType(LocaleQueryDto, PaginationQueryDto) {}

export class CreateContentDto {
  @IsObject({ message: 'must be a JSON object (the document data)' })
  data!: Record<string, unknown>;

  @IsOptional()
  @IsString()
  locale?: string;

  /** Adds another locale of an existing document; otherwise a UUIDv7 is minted. */
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  id?: string;
}

export class UpdateContentDto {
  /** The changed fields only. */
  @IsObject({ message: 'must be a JSON object (the changed fields)' })
  data!: Record<string, unknown>;
}
