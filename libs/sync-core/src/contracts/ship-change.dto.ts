import type { Static } from '@sinclair/typebox';
import { SHIP_CHANGE_OPS } from './ship-change-op.enum';
import {
  contentTypeName,
  jsonDocument,
  locale,
  oneOf,
  whenProperty,
  wireContract,
  wireInt,
  wireTimestamp,
  wireUuid,
  wireUuidV7,
} from './wire-fields.schema';

/**
 * One local edit made on a ship, as sent to the master. The document key is
 * (type, documentId, locale); `baseVersion` is the master version the edit was made on top of.
 */
export const ShipChangeDto = wireContract(
  {
    /** Unique per change (UUIDv7, minted on the ship). */
    changeId: wireUuidV7(),
    /** Per-ship sequence, strictly increasing; the master's idempotency high-water mark. */
    seq: wireInt(1),
    op: oneOf(SHIP_CHANGE_OPS),
    type: contentTypeName(),
    documentId: wireUuid(),
    /** '' for unlocalised types. */
    locale: locale(),
    /** 0 for create: nothing existed on the master when the ship created it. */
    baseVersion: wireInt(0),
    /** Full data for create, changed fields only for update (so never empty), {} for delete. */
    fields: jsonDocument(),
    /** When the crew made the edit (ship clock); used by last-write-wins. */
    editedAt: wireTimestamp(),
  },
  [
    whenProperty('op', 'create', {
      properties: { baseVersion: { const: 0, wireMessage: 'must be 0 for create' } },
    }),
    whenProperty(
      'op',
      'delete',
      { properties: { fields: { maxProperties: 0, wireMessage: 'must be {} for delete' } } },
      { properties: { fields: { minProperties: 1, wireMessage: 'must not be empty for {op}' } } },
    ),
  ],
);
export type ShipChangeDto = Static<typeof ShipChangeDto>;
