import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ApiJsonObject,
  IsJsonObject,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  UUID_PATTERN,
} from '@offline-sync/sync-core';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LOCALE_DESCRIPTION, LOCALE_MESSAGE } from './locale-query.dto';
import { IsNotEmptyObject } from './not-empty-object.validator';

export class CreateContentDto {
  /** The full document data. */
  @ApiJsonObject({ description: 'The full document data (at least one field)', minProperties: 1 })
  @IsNotEmptyObject()
  @IsJsonObject()
  data!: Record<string, unknown>;

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

  /** Adds another locale of an existing document; otherwise a new UUIDv7 is minted. */
  @ApiPropertyOptional({
    pattern: UUID_PATTERN.source,
    description: 'Adds another locale of an existing document; otherwise a UUIDv7 is minted',
  })
  @IsOptional()
  @Matches(UUID_PATTERN, { message: 'must be a lower-case UUID' })
  @IsString({ message: 'must be a lower-case UUID' })
  id?: string;
}
