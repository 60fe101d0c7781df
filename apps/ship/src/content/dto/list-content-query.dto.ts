import { ApiPropertyOptional } from '@nestjs/swagger';
import { LOCALE_MAX_LENGTH, LOCALE_PATTERN } from '@offline-sync/sync-core';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LOCALE_MESSAGE } from './locale-query.dto';
import { PaginationQueryDto } from '@offline-sync/sync-core';

/** Without `locale`, documents of every locale are listed. */
export class ListContentQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    description: 'Only documents in this locale (absent: every locale)',
    pattern: LOCALE_PATTERN.source,
    maxLength: LOCALE_MAX_LENGTH,
    example: 'en',
  })
  @IsOptional()
  @MaxLength(LOCALE_MAX_LENGTH, { message: LOCALE_MESSAGE })
  @Matches(LOCALE_PATTERN, { message: LOCALE_MESSAGE })
  @IsString({ message: LOCALE_MESSAGE })
  locale?: string;
}
