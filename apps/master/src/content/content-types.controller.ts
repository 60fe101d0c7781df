import { Controller, Get } from '@nestjs/common';
import type { ConflictPolicyName } from '@offline-sync/sync-core';
import { MasterConfig } from '../core/config/master-config';

export interface ContentTypeView {
  name: string;
  localized: boolean;
  policy: ConflictPolicyName;
  /** Relation fields: field name → the content type its id(s) point to. */
  relations: Record<string, string>;
  schema?: Record<string, unknown>;
}

/** The content types this deployment syncs (SYNC_CONTENT_TYPES), as clients browse them. */
@Controller('offline-sync/content-types')
export class ContentTypesController {
  constructor(private readonly config: MasterConfig) {}

  @Get()
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
