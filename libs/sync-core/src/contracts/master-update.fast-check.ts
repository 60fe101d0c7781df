import { isAuthor } from './author.util';
import { toContractInstanceOfKeys } from './contract-instance';
import { MasterUpdateOriginDto } from './master-update-origin.dto';
import { isOpenConflictList, MasterUpdateDto } from './master-update.dto';
import { isPlainObject } from './plain-object.util';
import { isFreeOfReservedKeys } from './reserved-key-scan.util';
import {
  isContentTypeName,
  isLocale,
  isWireInt,
  isWireTimestampQuick,
  isWireUuid,
  isWireUuidV7,
} from './wire-field.predicates';
import { isShipId } from './wire-patterns.constants';

/** MasterUpdateDto's properties; all required but `openConflicts` and `origin`. */
const MASTER_UPDATE_KEYS: ReadonlySet<string> = new Set([
  'type',
  'documentId',
  'locale',
  'version',
  'deleted',
  'data',
  'author',
  'updatedAt',
  'openConflicts',
  'origin',
]);

const ORIGIN_KEYS: ReadonlySet<string> = new Set(['shipId', 'changeId']);

function fastOrigin(raw: Record<string, unknown>): MasterUpdateOriginDto | undefined {
  const origin = toContractInstanceOfKeys(MasterUpdateOriginDto, raw, ORIGIN_KEYS);
  return origin !== undefined && isShipId(origin.shipId) && isWireUuidV7(origin.changeId)
    ? origin
    : undefined;
}

/**
 * The MasterUpdateDto that validateContract would return for `raw`, when `raw` is certainly valid
 * by the DTO's decorators; else undefined, and the decorators say why. Ships validate one per
 * message, with the whole document.
 */
export function fastMasterUpdate(raw: Record<string, unknown>): MasterUpdateDto | undefined {
  const update = toContractInstanceOfKeys(MasterUpdateDto, raw, MASTER_UPDATE_KEYS);
  if (update === undefined) {
    return undefined;
  }
  const fields = update as Record<keyof MasterUpdateDto, unknown>;
  const valid =
    isContentTypeName(fields.type) &&
    isWireUuid(fields.documentId) &&
    isLocale(fields.locale) &&
    isWireInt(fields.version, 1) &&
    typeof fields.deleted === 'boolean' &&
    isPlainObject(fields.data) &&
    isFreeOfReservedKeys(fields.data) &&
    isAuthor(fields.author) &&
    isWireTimestampQuick(fields.updatedAt) &&
    (fields.openConflicts === undefined || isOpenConflictList(fields.openConflicts));
  if (!valid) {
    return undefined;
  }
  // Omittable: left out or undefined, it is not validated at all.
  if (fields.origin === undefined) {
    return update;
  }
  const origin = isPlainObject(fields.origin) ? fastOrigin(fields.origin) : undefined;
  if (origin === undefined) {
    return undefined;
  }
  update.origin = origin;
  return update;
}
