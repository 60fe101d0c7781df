import { isRejectionReason, REJECTION_REASON_MAX_LENGTH } from './change-rejection-reason.util';
import { isWireInt } from './wire-field.predicates';
import {
  IsContentTypeName,
  IsLocale,
  IsOneOf,
  IsWireInt,
  IsWireUuid,
  IsWireUuidV7,
  ValidateWith,
} from './wire-field.decorators';
import { isConflictId } from './wire-patterns.constants';

export type ChangeOutcomeStatus = 'applied' | 'conflict' | 'rejected';

export const CHANGE_OUTCOME_STATUSES: readonly ChangeOutcomeStatus[] = [
  'applied',
  'conflict',
  'rejected',
];

/** Required for one status, omittable for the others, valid whenever present. */
export function isStatusField(
  value: unknown,
  status: unknown,
  requiredFor: ChangeOutcomeStatus,
  isValid: (value: unknown) => boolean,
): boolean {
  return value === undefined ? status !== requiredFor : isValid(value);
}

/** An outcome's `version` when present: the master version, never 0. */
export function isOutcomeVersion(value: unknown): boolean {
  return isWireInt(value, 1);
}

/**
 * A field that must be present for one status and may be left out otherwise; when present it must
 * be valid whatever the status. (ValidateIf would skip the "required" check along with the rest.)
 */
function StatusField(
  requiredFor: ChangeOutcomeStatus,
  name: string,
  isValid: (value: unknown) => boolean,
  invalidMessage: string,
): PropertyDecorator {
  return ValidateWith(
    name,
    (value, args) =>
      isStatusField(value, (args.object as { status?: unknown }).status, requiredFor, isValid),
    (args) =>
      args.value === undefined ? `is required when status is '${requiredFor}'` : invalidMessage,
  );
}

/**
 * What the master did with one ship change.
 * - applied: `version` is the master version now holding the change (also for a change that was
 *   already held, e.g. a redelivered create).
 * - conflict: `conflictId` names the open conflict; the ship keeps its edit pending.
 * - rejected: `reason` is `<code>: <text>`; for `superseded`, `version` is the master's current one.
 */
export class ChangeOutcomeDto {
  @IsWireUuidV7()
  changeId!: string;

  @IsWireInt(1)
  seq!: number;

  @IsWireUuid()
  documentId!: string;

  @IsContentTypeName()
  type!: string;

  @IsLocale()
  locale!: string;

  @IsOneOf(CHANGE_OUTCOME_STATUSES)
  status!: ChangeOutcomeStatus;

  @StatusField('applied', 'outcomeVersion', isOutcomeVersion, 'must be an integer ≥ 1')
  version?: number;

  @StatusField(
    'conflict',
    'outcomeConflictId',
    isConflictId,
    'must be a conflict id (1 to 128 of A-Z, a-z, 0-9, ., _, :, -)',
  )
  conflictId?: string;

  @StatusField(
    'rejected',
    'outcomeReason',
    isRejectionReason,
    `must be '<code>' or '<code>: <text>' (code of a-z, 0-9, -; at most ${REJECTION_REASON_MAX_LENGTH} characters)`,
  )
  reason?: string;
}
