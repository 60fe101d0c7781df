import { toContractInstanceOfKeys } from './contract-instance';
import { isPlainObject } from './plain-object.util';
import { isFreeOfReservedKeys } from './reserved-key-scan.util';
import { baseVersionMatchesOp, fieldsMatchOp, ShipChangeDto } from './ship-change.dto';
import { SHIP_CHANGE_OPS } from './ship-change-op.enum';
import {
  isContentTypeName,
  isLocale,
  isOneOf,
  isWireInt,
  isWireTimestampQuick,
  isWireUuid,
  isWireUuidV7,
} from './wire-field.predicates';

/** ShipChangeDto's properties, every one required. */
const SHIP_CHANGE_KEYS: ReadonlySet<string> = new Set([
  'changeId',
  'seq',
  'op',
  'type',
  'documentId',
  'locale',
  'baseVersion',
  'fields',
  'editedAt',
]);

/**
 * The ShipChangeDto that validateContract would return for `raw`, when `raw` is certainly valid by
 * the DTO's decorators; else undefined, and the decorators say why. Same rules, same predicates,
 * without class-validator's per-object bookkeeping (the master's hottest validation).
 */
export function fastShipChange(raw: Record<string, unknown>): ShipChangeDto | undefined {
  const change = toContractInstanceOfKeys(ShipChangeDto, raw, SHIP_CHANGE_KEYS);
  if (change === undefined) {
    return undefined;
  }
  const { op, baseVersion, fields } = change as Record<keyof ShipChangeDto, unknown>;
  const valid =
    isWireUuidV7(change.changeId) &&
    isWireInt(change.seq, 1) &&
    isOneOf(op, SHIP_CHANGE_OPS) &&
    isContentTypeName(change.type) &&
    isWireUuid(change.documentId) &&
    isLocale(change.locale) &&
    isWireInt(baseVersion, 0) &&
    baseVersionMatchesOp(baseVersion, op) &&
    isPlainObject(fields) &&
    isFreeOfReservedKeys(fields) &&
    fieldsMatchOp(fields, op) &&
    isWireTimestampQuick(change.editedAt);
  return valid ? change : undefined;
}
