import { isRejectionReason } from './change-rejection-reason.util';
import {
  CHANGE_OUTCOME_STATUSES,
  ChangeOutcomeDto,
  isOutcomeVersion,
  isStatusField,
} from './change-outcome.dto';
import { toContractInstanceOfKeys } from './contract-instance';
import {
  isContentTypeName,
  isLocale,
  isOneOf,
  isWireInt,
  isWireUuid,
  isWireUuidV7,
} from './wire-field.predicates';
import { isConflictId } from './wire-patterns.constants';

/** ChangeOutcomeDto's properties; `version`, `conflictId` and `reason` depend on the status. */
const CHANGE_OUTCOME_KEYS: ReadonlySet<string> = new Set([
  'changeId',
  'seq',
  'documentId',
  'type',
  'locale',
  'status',
  'version',
  'conflictId',
  'reason',
]);

/**
 * The ChangeOutcomeDto that validateContract would return for `raw`, when `raw` is certainly valid
 * by the DTO's decorators; else undefined, and the decorators say why.
 */
export function fastChangeOutcome(raw: Record<string, unknown>): ChangeOutcomeDto | undefined {
  const outcome = toContractInstanceOfKeys(ChangeOutcomeDto, raw, CHANGE_OUTCOME_KEYS);
  if (outcome === undefined) {
    return undefined;
  }
  const fields = outcome as Record<keyof ChangeOutcomeDto, unknown>;
  const { status } = fields;
  const valid =
    isWireUuidV7(fields.changeId) &&
    isWireInt(fields.seq, 1) &&
    isWireUuid(fields.documentId) &&
    isContentTypeName(fields.type) &&
    isLocale(fields.locale) &&
    isOneOf(status, CHANGE_OUTCOME_STATUSES) &&
    isStatusField(fields.version, status, 'applied', isOutcomeVersion) &&
    isStatusField(fields.conflictId, status, 'conflict', isConflictId) &&
    isStatusField(fields.reason, status, 'rejected', isRejectionReason);
  return valid ? outcome : undefined;
}
