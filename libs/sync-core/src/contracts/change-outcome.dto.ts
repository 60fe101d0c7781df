import { type Static, Type } from '@sinclair/typebox';
import {
  REJECTION_REASON_MAX_LENGTH,
  REJECTION_REASON_PATTERN,
} from './change-rejection-reason.util';
import { CONFLICT_ID_PATTERN } from './wire-patterns.constants';
import {
  contentTypeName,
  locale,
  matchesPattern,
  oneOf,
  requiredWhen,
  wireContract,
  wireInt,
  wireUuid,
  wireUuidV7,
} from './wire-fields.schema';

export type ChangeOutcomeStatus = 'applied' | 'conflict' | 'rejected';

export const CHANGE_OUTCOME_STATUSES: readonly ChangeOutcomeStatus[] = [
  'applied',
  'conflict',
  'rejected',
];

/**
 * What the master did with one ship change.
 * - applied: `version` is the master version now holding the change (also for a change that was
 *   already held, e.g. a redelivered create).
 * - conflict: `conflictId` names the open conflict; the ship keeps its edit pending.
 * - rejected: `reason` is `<code>: <text>`; for `superseded`, `version` is the master's current one.
 * Each of the three is required for its status, may be left out for the others, and is validated
 * whenever present.
 */
export const ChangeOutcomeDto = wireContract(
  {
    changeId: wireUuidV7(),
    seq: wireInt(1),
    documentId: wireUuid(),
    type: contentTypeName(),
    locale: locale(),
    status: oneOf(CHANGE_OUTCOME_STATUSES),
    version: Type.Optional(wireInt(1)),
    conflictId: Type.Optional(
      matchesPattern(
        CONFLICT_ID_PATTERN,
        'must be a conflict id (1 to 128 of A-Z, a-z, 0-9, ., _, :, -)',
      ),
    ),
    reason: Type.Optional(
      Type.String({
        // The length in UTF-16 code units, as formatRejectionReason cuts it.
        allOf: [
          { pattern: REJECTION_REASON_PATTERN.source },
          { pattern: `^[\\s\\S]{0,${REJECTION_REASON_MAX_LENGTH}}$` },
        ],
        wireMessage: `must be '<code>' or '<code>: <text>' (code of a-z, 0-9, -; at most ${REJECTION_REASON_MAX_LENGTH} characters)`,
      }),
    ),
  },
  [
    requiredWhen('status', 'applied', 'version'),
    requiredWhen('status', 'conflict', 'conflictId'),
    requiredWhen('status', 'rejected', 'reason'),
  ],
);
export type ChangeOutcomeDto = Static<typeof ChangeOutcomeDto>;
