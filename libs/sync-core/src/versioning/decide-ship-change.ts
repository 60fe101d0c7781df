import { shipAuthor } from '../contracts/author.util';
import {
  ChangeDecision,
  ConflictRule,
  ConflictType,
  MasterDocumentState,
  MasterRevision,
  ShipChangeDecisionInput,
} from './change-decision';
import { DocumentData } from './diff-fields';
import { jsonEqual } from './json-equal';
import { mergeFields } from './merge-fields';

/** What others did to the document since the ship's base version. */
interface ForeignHistory {
  revisions: MasterRevision[];
  /** Versions in (base, current] that the log does not hold: authorship unknown. */
  missing: boolean;
}

function foreignHistory(
  input: ShipChangeDecisionInput,
  current: MasterDocumentState,
): ForeignHistory {
  const base = input.change.baseVersion;
  const self = shipAuthor(input.shipId);
  const inRange = input.revisionsAfterBase.filter(
    (revision) => revision.version > base && revision.version <= current.version,
  );
  const versionsSeen = new Set(inRange.map((revision) => revision.version)).size;
  return {
    revisions: inRange.filter((revision) => revision.author !== self),
    missing: versionsSeen < current.version - base,
  };
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function toMillis(timestamp: string): number {
  const millis = Date.parse(timestamp);
  // An unreadable time loses every comparison, the same way on every replica.
  return Number.isNaN(millis) ? Number.NEGATIVE_INFINITY : millis;
}

/**
 * Last-write-wins: does the ship's edit come after the latest foreign edit? Ties (same
 * millisecond) go to the greater author string, so whichever order two changes arrive in, both
 * replicas and both orders settle on the same winner.
 */
function shipEditIsLater(
  input: ShipChangeDecisionInput,
  current: MasterDocumentState,
  history: ForeignHistory,
): boolean {
  const candidates = history.revisions.map((revision) => ({
    millis: toMillis(revision.at),
    author: revision.author,
  }));
  if (history.missing) {
    candidates.push({ millis: toMillis(current.updatedAt), author: '' });
  }
  const latest = candidates.reduce((a, b) =>
    b.millis > a.millis || (b.millis === a.millis && b.author > a.author) ? b : a,
  );
  const shipMillis = toMillis(input.change.editedAt);
  if (shipMillis !== latest.millis) {
    return shipMillis > latest.millis;
  }
  return shipAuthor(input.shipId) > latest.author;
}

/** The ship's change applied over the current state: update merges fields, delete keeps data. */
function shipResult(
  input: ShipChangeDecisionInput,
  current: MasterDocumentState,
): { data: DocumentData; deleted: boolean } {
  return input.change.op === 'delete'
    ? { data: current.data, deleted: true }
    : { data: { ...current.data, ...input.change.fields }, deleted: false };
}

function conflict(
  input: ShipChangeDecisionInput,
  history: ForeignHistory,
  conflictType: ConflictType,
  rule: ConflictRule,
  overlapping: string[] = [],
): ChangeDecision {
  return {
    outcome: 'conflict',
    conflictType,
    shipFields: Object.keys(input.change.fields).sort(),
    foreignFields: sortedUnique(history.revisions.flatMap((revision) => revision.changedFields)),
    foreignAuthors: sortedUnique(history.revisions.map((revision) => revision.author)),
    overlapping,
    rule,
  };
}

function decideCreateOnExisting(
  input: ShipChangeDecisionInput,
  current: MasterDocumentState,
  history: ForeignHistory,
): ChangeDecision {
  if (history.revisions.length > 0 || history.missing) {
    return conflict(input, history, 'create-create', 'create-create');
  }
  // Only this ship ever wrote the document: its create came round again.
  if (!current.deleted && jsonEqual(current.data, input.change.fields)) {
    return { outcome: 'noop', rule: 'duplicate-create' };
  }
  return {
    outcome: 'apply',
    data: { ...input.change.fields },
    deleted: false,
    rule: 'own-revisions',
  };
}

/** Foreign revisions exist: the content type's policy decides. */
function decideByPolicy(
  input: ShipChangeDecisionInput,
  current: MasterDocumentState,
  history: ForeignHistory,
): ChangeDecision {
  const conflictType: ConflictType =
    input.change.op === 'delete'
      ? 'delete-update'
      : current.deleted
        ? 'update-delete'
        : 'update-update';
  const applyShip = (rule: 'ship-wins' | 'last-write-wins'): ChangeDecision => ({
    outcome: 'apply',
    ...shipResult(input, current),
    rule,
  });
  switch (input.policy) {
    case 'manual':
      return conflict(input, history, conflictType, 'manual');
    case 'field-merge': {
      if (history.missing) {
        return conflict(input, history, conflictType, 'unknown-history');
      }
      if (
        conflictType !== 'update-update' ||
        history.revisions.some((revision) => revision.deleted)
      ) {
        return conflict(input, history, conflictType, 'delete-involved');
      }
      const foreignFields = history.revisions.flatMap((revision) => revision.changedFields);
      const merge = mergeFields(current.data, input.change.fields, foreignFields);
      return 'merged' in merge
        ? { outcome: 'apply', data: merge.merged, deleted: false, rule: 'field-merge' }
        : conflict(input, history, conflictType, 'field-overlap', merge.overlapping);
    }
    case 'master-wins':
      return { outcome: 'keep-master', rule: 'master-wins' };
    case 'ship-wins':
      return applyShip('ship-wins');
    case 'last-write-wins':
      return shipEditIsLater(input, current, history)
        ? applyShip('last-write-wins')
        : { outcome: 'keep-master', rule: 'last-write-wins' };
  }
}

/**
 * What the master does with one ship change (SPEC §4), as a pure function of the change, the
 * master's current state and its revisions since the change's base version:
 * - base == current version: fast-forward;
 * - every revision since the base is this ship's own (earlier accepted changes): apply;
 * - otherwise the policy decides; update vs a deletion and delete vs an update are conflicts too;
 * - a create of an existing document is a redelivery if only this ship wrote it, else create-create;
 * - a delete of a deleted document changes nothing.
 */
export function decideShipChange(input: ShipChangeDecisionInput): ChangeDecision {
  const { change, current } = input;
  if (current === null) {
    if (change.op === 'create') {
      return { outcome: 'apply', data: { ...change.fields }, deleted: false, rule: 'create' };
    }
    return {
      outcome: 'reject',
      reason: 'unknown-document',
      detail: `${change.op} of a document the master does not have`,
    };
  }
  if (change.baseVersion > current.version) {
    return {
      outcome: 'reject',
      reason: 'base-version-ahead',
      detail: `base version ${change.baseVersion} is ahead of the master's version ${current.version}`,
    };
  }
  const history = foreignHistory(input, current);
  if (change.op === 'create') {
    return decideCreateOnExisting(input, current, history);
  }
  if (change.op === 'delete' && current.deleted) {
    return { outcome: 'noop', rule: 'already-deleted' };
  }
  if (history.revisions.length === 0 && !history.missing) {
    const rule = change.baseVersion === current.version ? 'fast-forward' : 'own-revisions';
    return { outcome: 'apply', ...shipResult(input, current), rule };
  }
  return decideByPolicy(input, current, history);
}
