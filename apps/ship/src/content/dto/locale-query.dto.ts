import { ApiPropertyOptional } from '@nestjs/swagger';
import { LOCALE_MAX_LENGTH, LOCALE_PATTERN } from '@offline-sync/sync-core';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const LOCALE_MESSAGE = `must be '' or a locale tag such as 'en' or 'pt-BR' (at most ${LOCALE_MAX_LENGTH} characters)`;

export const LOCALE_DESCRIPTION =
  "'' (default) for unlocalised documents, else a tag such as en or pt-BR";

export class LocaleQueryDto {
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
}
