import { type Static, Type } from '@sinclair/typebox';
import { type Author, AUTHOR_PATTERN } from './author.util';
import { MasterUpdateOriginDto } from './master-update-origin.dto';
import { CONFLICT_ID_PATTERN } from './wire-patterns.constants';
import {
  contentTypeName,
  jsonDocument,
  locale,
  wireContract,
  wireInt,
  wireTimestamp,
  wireUuid,
} from './wire-fields.schema';

/** Most conflicts a master update names as open on its document (one per ship at most). */
export const MAX_OPEN_CONFLICTS = 10_000;

/**
 * The full current state of one (type, documentId, locale) on the master. One per Kafka message on
 * the compacted master-updates topic (key: masterUpdateKey), so the latest version of every
 * document survives compaction and a ship catching up needs nothing else.
 */
export const MasterUpdateDto = wireContract({
  type: contentTypeName(),
  documentId: wireUuid(),
  locale: locale(),
  /** Grows by one on every accepted change; ships apply only versions above what they hold. */
  version: wireInt(1),
  /** Deletion marker: the document is gone as of this version (data may keep its last content). */
  deleted: Type.Boolean({ wireMessage: 'must be true or false' }),
  data: jsonDocument(),
  author: Type.Unsafe<Author>({
    type: 'string',
    pattern: AUTHOR_PATTERN.source,
    wireMessage: "must be 'master:<user>' or 'ship:<shipId>'",
  }),
  updatedAt: wireTimestamp(),
  /**
   * The conflicts open on this document and locale at this version, when there are any: a ship
   * keeps the crew's conflicted copy until a newer version no longer names its conflict (the
   * resolution is recognised by version, whatever survives compaction).
   */
  openConflicts: Type.Optional(
    Type.Array(Type.String({ pattern: CONFLICT_ID_PATTERN.source }), {
      minItems: 1,
      maxItems: MAX_OPEN_CONFLICTS,
      uniqueItems: true,
      wireMessage: `must be a list of 1 to ${MAX_OPEN_CONFLICTS} distinct conflict ids`,
    }),
  ),
  /** Present when this version was produced by accepting a ship change. */
  origin: Type.Optional(MasterUpdateOriginDto),
});
export type MasterUpdateDto = Static<typeof MasterUpdateDto>;
