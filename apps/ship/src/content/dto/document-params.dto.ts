import { CONTENT_TYPE_PATTERN, UUID_PATTERN } from '@offline-sync/sync-core';
import { Matches } from 'class-validator';

export class ContentTypeParamsDto {
  @Matches(CONTENT_TYPE_PATTERN, {
    message: 'must be a content type name (lower-case letters, digits and "-", at most 64)',
  })
  type!: string;
}

export class DocumentParamsDto extends ContentTypeParamsDto {
  @Matches(UUID_PATTERN, { message: 'must be a lower-case UUID' })
  id!: string;
}
