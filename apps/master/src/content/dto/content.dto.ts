import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';

export class LocaleQueryDto {
  /** '' (default) for unlocalised documents. */
  @IsOptional()
  @IsString()
  locale?: string;
}

export class ContentListQueryDto extends LocaleQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize = 50;
}

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
