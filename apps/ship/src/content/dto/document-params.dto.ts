import { ApiProperty } from '@nestjs/swagger';
import { CONTENT_TYPE_PATTERN, UUID_PATTERN } from '@offline-sync/sync-core';
import { Matches } from 'class-validator';

export class ContentTypeParamsDto {
  @ApiProperty({
    pattern: CONTENT_TYPE_PATTERN.source,
    description: 'A content type of SYNC_CONTENT_TYPES',
    example: 'article',
  })
  @Matches(CONTENT_TYPE_PATTERN, {
    message: 'must be a content type name (lower-case letters, digits and "-", at most 64)',
  })
  type!: string;
}

export class DocumentParamsDto extends ContentTypeParamsDto {
  @ApiProperty({ pattern: UUID_PATTERN.source, description: 'Document id (lower-case UUID)' })
  @Matches(UUID_PATTERN, { message: 'must be a lower-case UUID' })
  id!: string;
}
