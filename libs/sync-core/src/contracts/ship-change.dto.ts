import { isPlainObject } from './plain-object.util';
import {
  IsContentTypeName,
  IsJsonObject,
  IsLocale,
  IsOneOf,
  IsWireInt,
  IsWireTimestamp,
  IsWireUuid,
  IsWireUuidV7,
  ValidateWith,
} from './wire-field.decorators';
import { SHIP_CHANGE_OPS, ShipChangeOp } from './ship-change-op.enum';

function opOf(object: object): unknown {
  return (object as { op?: unknown }).op;
}

/** A create is made on top of nothing: its base version is 0. */
export function baseVersionMatchesOp(baseVersion: unknown, op: unknown): boolean {
  return op !== 'create' || baseVersion === 0;
}

/** Full data for create, changed fields only for update (so never empty), {} for delete. */
export function fieldsMatchOp(fields: Record<string, unknown>, op: unknown): boolean {
  const empty = Object.keys(fields).length === 0;
  return op === 'delete' ? empty : !empty;
}

/**
 * One local edit made on a ship, as sent to the master. The document key is
 * (type, documentId, locale); `baseVersion` is the master version the edit was made on top of.
 */
export class ShipChangeDto {
  /** Unique per change (UUIDv7, minted on the ship). */
  @IsWireUuidV7()
  changeId!: string;

  /** Per-ship sequence, strictly increasing; the master's idempotency high-water mark. */
  @IsWireInt(1)
  seq!: number;

  @IsOneOf(SHIP_CHANGE_OPS)
  op!: ShipChangeOp;

  @IsContentTypeName()
  type!: string;

  @IsWireUuid()
  documentId!: string;

  /** '' for unlocalised types. */
  @IsLocale()
  locale!: string;

  /** 0 for create: nothing existed on the master when the ship created it. */
  @ValidateWith(
    'baseVersionMatchesOp',
    (value, args) => baseVersionMatchesOp(value, opOf(args.object)),
    'must be 0 for create',
  )
  @IsWireInt(0)
  baseVersion!: number;

  /** Full data for create, changed fields only for update, {} for delete. */
  @ValidateWith(
    'fieldsMatchOp',
    // A non-object is reported by IsJsonObject.
    (value, args) => !isPlainObject(value) || fieldsMatchOp(value, opOf(args.object)),
    (args) =>
      opOf(args.object) === 'delete'
        ? 'must be {} for delete'
        : `must not be empty for ${String(opOf(args.object))}`,
  )
  @IsJsonObject()
  fields!: Record<string, unknown>;

  /** When the crew made the edit (ship clock); used by last-write-wins. */
  @IsWireTimestamp()
  editedAt!: string;
}
