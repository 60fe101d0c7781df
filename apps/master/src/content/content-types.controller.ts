import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiJsonObject, type ConflictPolicyName } from '@offline-sync/sync-core';
import { MasterConfig } from '../core/config/master-config';

export interface ContentTypeView {
  name: string;
  localized: boolean;
  policy: ConflictPolicyName;
  /** Relation fields: field name → the content type its id(s) point to. */
  relations: Record<string, string>;
  schema?: Record<string, unknown>;
}

export class ContentTypeResponse implements ContentTypeView {
  @ApiProperty({ example: 'article' })
  name!: string;

  @ApiProperty({ description: "false: documents of the type have only the locale ''" })
  localized!: boolean;

  @ApiProperty({
    enum: ['manual', 'field-merge', 'master-wins', 'ship-wins', 'last-write-wins'],
    description: 'What the master does with concurrent edits',
  })
  policy!: ConflictPolicyName;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Relation fields: field name → the content type its id(s) point to',
    example: { author: 'author' },
  })
  relations!: Record<string, string>;

  @ApiJsonObject({ required: false, description: 'The JSON Schema both apps enforce' })
  schema?: Record<string, unknown>;
}

/** The content types this deployment syncs (SYNC_CONTENT_TYPES), as clients browse them. */
@ApiTags('content')
@Controller('offline-sync/content-types')
export class ContentTypesController {
  constructor(private readonly config: MasterConfig) {}

  @Get()
  @ApiOperation({ summary: 'The content types this deployment syncs' })
  @ApiOkResponse({ type: [ContentTypeResponse] })
  list(): ContentTypeView[] {
    return this.config.contentTypes.list().map((type) => ({
      name: type.name,
      localized: type.localized,
      policy: type.policy,
      relations: type.relations,
      ...(type.schema ? { schema: type.schema } : {}),
    }));
  }
}
