import { Author, isAuthor } from './author.util';
import { MasterUpdateOriginDto } from './master-update-origin.dto';
import {
  IsContentTypeName,
  IsJsonObject,
  IsLocale,
  IsNestedContract,
  IsOmittable,
  IsWireInt,
  IsWireTimestamp,
  IsWireUuid,
  ValidateWith,
} from './wire-field.decorators';

/**
 * The full current state of one (type, documentId, locale) on the master. One per Kafka message on
 * the compacted master-updates topic (key: masterUpdateKey), so the latest version of every
 * document survives compaction and a ship catching up needs nothing else.
 */
export class MasterUpdateDto {
  @IsContentTypeName()
  type!: string;

  @IsWireUuid()
  documentId!: string;

  @IsLocale()
  locale!: string;

  /** Grows by one on every accepted change; ships apply only versions above what they hold. */
  @IsWireInt(1)
  version!: number;

  /** Deletion marker: the document is gone as of this version (data may keep its last content). */
  @ValidateWith('isBoolean', (value) => typeof value === 'boolean', 'must be true or false')
  deleted!: boolean;

  @IsJsonObject()
  data!: Record<string, unknown>;

  @ValidateWith('isAuthor', isAuthor, "must be 'master:<user>' or 'ship:<shipId>'")
  author!: Author;

  @IsWireTimestamp()
  updatedAt!: string;

  /** Present when this version was produced by accepting a ship change. */
  @IsOmittable()
  @IsNestedContract(() => MasterUpdateOriginDto)
  origin?: MasterUpdateOriginDto;
}
