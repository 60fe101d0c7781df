import {
  IsJsonObject,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  UUID_PATTERN,
} from '@offline-sync/sync-core';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LOCALE_MESSAGE } from './locale-query.dto';
import { IsNotEmptyObject } from './not-empty-object.validator';

export class CreateContentDto {
  /** The full document data. */
  @IsNotEmptyObject()
  @IsJsonObject()
  data!: Record<string, unknown>;

  @IsOptional()
  @MaxLength(LOCALE_MAX_LENGTH, { message: LOCALE_MESSAGE })
  @Matches(LOCALE_PATTERN, { message: LOCALE_MESSAGE })
  @IsString({ message: LOCALE_MESSAGE })
  locale?: string;

  /** Adds another locale of an existing document; otherwise a new UUIDv7 is minted. */
  @IsOptional()
  @Matches(UUID_PATTERN, { message: 'must be a lower-case UUID' })
  @IsString({ message: 'must be a lower-case UUID' })
  id?: string;
}
