import { LOCALE_MAX_LENGTH, LOCALE_PATTERN } from '@offline-sync/sync-core';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const LOCALE_MESSAGE = `must be '' or a locale tag such as 'en' or 'pt-BR' (at most ${LOCALE_MAX_LENGTH} characters)`;

export class LocaleQueryDto {
  @IsOptional()
  @MaxLength(LOCALE_MAX_LENGTH, { message: LOCALE_MESSAGE })
  @Matches(LOCALE_PATTERN, { message: LOCALE_MESSAGE })
  @IsString({ message: LOCALE_MESSAGE })
  locale?: string;
}
