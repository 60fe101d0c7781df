import { Author, isAuthor } from './author.util';
import { MasterUpdateOriginDto } from './master-update-origin.dto';
import { isConflictId } from './wire-patterns.constants';
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

/** Most conflicts a master update names as open on its document (one per ship at most). */
export const MAX_OPEN_CONFLICTS = 10_000;

/** A non-empty list of distinct conflict ids. */
export function isOpenConflictList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= MAX_OPEN_CONFLICTS &&
    value.every(isConflictId) &&
    new Set(value).size === value.length
  );
}

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

  /**
   * The conflicts open on this document and locale at this version, when there are any: a ship
   * keeps the crew's conflicted copy until a newer version no longer names its conflict (the
   * resolution is recognised by version, whatever survives compaction).
   */
  @IsOmittable()
  @ValidateWith(
    'isOpenConflictList',
    isOpenConflictList,
    `must be a list of 1 to ${MAX_OPEN_CONFLICTS} distinct conflict ids`,
  )
  openConflicts?: string[];

  /** Present when this version was produced by accepting a ship change. */
  @IsOmittable()
  @IsNestedContract(() => MasterUpdateOriginDto)
  origin?: MasterUpdateOriginDto;
}
