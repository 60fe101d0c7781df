import {
  changedFieldNames,
  decideShipChange,
  documentTooLargeReason,
  findUnstorableText,
  formatFieldErrors,
  oversizedDocumentBytes,
  shipAuthor,
  type ChangeOutcomeDto,
  type ContentTypeDefinition,
  type MasterRevision,
  type ShipChangeDto,
} from '@offline-sync/sync-core';
import { conflictKey, type ConflictDraft } from '../conflicts/conflict-draft';
import { refKey, type DocumentRef } from '../documents/document-key';
import type { DocumentState, NewVersion } from '../documents/document-state';
import type { BatchPlan, IncomingChange, PlanInput } from './batch-plan';
import { BatchPlanState } from './batch-plan-state';
import { rejectedOutcome } from './rejected-outcome';

export type { BatchPlan, IncomingChange, PlanInput } from './batch-plan';

export function outcomeKey(shipId: string, changeId: string): string {
  return `${shipId}/${changeId}`;
}

/** One ship's changes to one document and locale. */
export function acceptedKey(shipId: string, ref: DocumentRef): string {
  return `${shipId}/${refKey(ref)}`;
}

/**
 * Decides a batch of ship changes in memory against the states and edit logs loaded for it
 * (SPEC §4 via decideShipChange). Later changes of the batch see the versions earlier ones
 * produced, exactly as if they had been applied one by one. Pure: the caller loads and writes.
 */
export function planBatch(input: PlanInput): BatchPlan {
  const state = new BatchPlanState(input);
  for (const incoming of input.changes) planChange(state, incoming);
  return state.finish();
}

/** One change of the batch: the answer it was given before, or a new decision recorded. */
export function planChange(state: BatchPlanState, incoming: IncomingChange): void {
  const { shipId, change } = incoming;
  const key = outcomeKey(shipId, change.changeId);
  const known = state.knownOutcome(key);
  if (known) {
    state.resend(shipId, known);
    return;
  }
  const ref: DocumentRef = {
    type: change.type,
    documentId: change.documentId,
    locale: change.locale,
  };
  const accepted = acceptedKey(shipId, ref);
  const newerSeq = state.newestAccepted.get(accepted) ?? 0;
  const outcome = superseded(state, change, ref, newerSeq) ?? decide(state, incoming, ref);
  if (outcome.status !== 'rejected') {
    state.newestAccepted.set(accepted, Math.max(newerSeq, change.seq));
  }
  state.record(shipId, key, change.seq, outcome);
}

/**
 * A change older than one this ship already had accepted for the document (a dead letter retried
 * late, a re-sent change whose first envelope was lost): applying it would put older content over
 * newer, so it is superseded by the ship's own later change. Null when it is not.
 */
export function superseded(
  state: BatchPlanState,
  change: ShipChangeDto,
  ref: DocumentRef,
  newerSeq: number,
): ChangeOutcomeDto | null {
  if (newerSeq <= change.seq) return null;
  return rejectedOutcome(
    change,
    'superseded',
    `change ${newerSeq} of this ship to the document was accepted before this older one (${change.seq})`,
    state.states.get(refKey(ref))?.version,
  );
}

/** One change and what the master holds for its document, while the change is decided. */
interface ChangeAtHand {
  incoming: IncomingChange;
  ref: DocumentRef;
  key: string;
  current: DocumentState | null;
  history: MasterRevision[];
  /** The change's fields without local-only ones. */
  fields: ShipChangeDto['fields'];
}

/** A change not superseded: refused as sent, or decided by the rules against the document. */
function decide(
  state: BatchPlanState,
  incoming: IncomingChange,
  ref: DocumentRef,
): ChangeOutcomeDto {
  const { change } = incoming;
  const contentTypes = state.input.contentTypes;
  const definition = contentTypes.get(change.type);
  if (!definition) {
    return rejectedOutcome(
      change,
      'unknown-content-type',
      `content type "${change.type}" is not synced`,
    );
  }
  const refused = refusedAsSent(definition, incoming);
  if (refused) return refused;
  const key = refKey(ref);
  const at: ChangeAtHand = {
    incoming,
    ref,
    key,
    current: state.states.get(key) ?? null,
    history: state.revisions.get(key) ?? [],
    // Local-only fields never come from the wire (a ship strips them; one that did not is not
    // believed): the master keeps its own values of them.
    fields: contentTypes.localOnly.strip(change.type, change.fields),
  };
  return localOnlyUpdate(at) ?? outcomeOf(state, at, decideShipChange(rulesInput(at, definition)));
}

/** Refused for what the change says, whatever the master holds: no rule needs to look. */
function refusedAsSent(
  definition: ContentTypeDefinition,
  incoming: IncomingChange,
): ChangeOutcomeDto | null {
  const { change } = incoming;
  if (!definition.localized && change.locale !== '') {
    return rejectedOutcome(
      change,
      'invalid-data',
      `locale: "${change.type}" is not localized, locale must be ''`,
    );
  }
  // No node could store it (PostgreSQL refuses NUL and lone surrogates): refused alone, here.
  const unstorable = incoming.checkText ? findUnstorableText(change.fields) : null;
  if (unstorable) return rejectedOutcome(change, 'invalid-data', formatFieldErrors([unstorable]));
  return null;
}

/** An update of local-only fields alone to a live document: the master keeps its own values. */
function localOnlyUpdate(at: ChangeAtHand): ChangeOutcomeDto | null {
  const { change } = at.incoming;
  const onlyLocal = at.fields !== change.fields && Object.keys(at.fields).length === 0;
  if (change.op === 'update' && onlyLocal && at.current && !at.current.deleted) {
    return appliedOutcome(change, at.current.version);
  }
  return null;
}

type RulesInput = Parameters<typeof decideShipChange>[0];
type Decision = ReturnType<typeof decideShipChange>;

/** What the rules decide on: the change against the document and its log since the change's base. */
function rulesInput(at: ChangeAtHand, definition: ContentTypeDefinition): RulesInput {
  const { shipId, change, editedAt } = at.incoming;
  const current = at.current;
  return {
    shipId,
    change: {
      op: change.op,
      baseVersion: change.baseVersion,
      fields: at.fields,
      editedAt,
    },
    current: current
      ? {
          version: current.version,
          deleted: current.deleted,
          data: current.data,
          updatedAt: current.updatedAt,
        }
      : null,
    revisionsAfterBase: at.history.filter((revision) => revision.version > change.baseVersion),
    policy: definition.policy,
  };
}

/** The change's outcome for the rules' decision, with the version or conflict it plans. */
function outcomeOf(state: BatchPlanState, at: ChangeAtHand, decision: Decision): ChangeOutcomeDto {
  const { change } = at.incoming;
  switch (decision.outcome) {
    case 'apply':
      return applyDecision(state, at, decision);
    case 'noop':
      return appliedOutcome(change, at.current?.version ?? 1);
    case 'keep-master':
      return rejectedOutcome(
        change,
        'superseded',
        `${decision.rule}: the master keeps version ${at.current?.version ?? 0}`,
        at.current?.version,
      );
    case 'reject':
      return rejectedOutcome(change, decision.reason, decision.detail);
    case 'conflict':
      return conflictOutcome(state, at, decision);
  }
}

/**
 * The rules apply the change: the resulting document is checked (size, content type) and planned
 * as the document's next version.
 */
function applyDecision(
  state: BatchPlanState,
  at: ChangeAtHand,
  decision: Extract<Decision, { outcome: 'apply' }>,
): ChangeOutcomeDto {
  const { shipId, change, editedAt } = at.incoming;
  if (!decision.deleted) {
    // The resulting document (an update's fields merged into the current data) is capped too.
    const oversized = oversizedDocumentBytes(decision.data);
    if (oversized !== null) {
      return rejectedOutcome(change, 'too-large', documentTooLargeReason(oversized));
    }
    const errors = state.input.contentTypes.validate(change.type, decision.data);
    if (errors.length > 0)
      return rejectedOutcome(change, 'invalid-data', formatFieldErrors(errors));
  }
  const current = at.current;
  const version = (current?.version ?? 0) + 1;
  const before = current && !current.deleted ? current.data : {};
  const planned: NewVersion = {
    type: at.ref.type,
    documentId: at.ref.documentId,
    locale: at.ref.locale,
    version,
    deleted: decision.deleted,
    data: decision.data,
    author: shipAuthor(shipId),
    changedFields: decision.deleted ? [] : changedFieldNames(before, decision.data),
    origin: { shipId, changeId: change.changeId },
    at: editedAt,
  };
  state.addVersion(at.key, at.history, planned);
  return appliedOutcome(change, version);
}

/**
 * The rules see a conflict: the ship's open conflict on the document (from the database or this
 * batch) is brought up to date with the change, or a new one is drafted.
 */
function conflictOutcome(
  state: BatchPlanState,
  at: ChangeAtHand,
  decision: Extract<Decision, { outcome: 'conflict' }>,
): ChangeOutcomeDto {
  const { shipId, change } = at.incoming;
  const current = at.current;
  const ckey = conflictKey(at.ref, shipId);
  const draft = state.drafts.get(ckey) ?? newConflictDraft(state, at, decision, ckey);
  draft.changeId = change.changeId;
  draft.seq = change.seq;
  draft.conflictType = decision.conflictType;
  draft.rule = decision.rule;
  draft.shipFields = { ...draft.shipFields, ...at.fields };
  draft.shipDeleted = change.op === 'delete';
  draft.masterVersion = current?.version ?? 0;
  draft.masterData = current?.data ?? {};
  draft.masterDeleted = current?.deleted ?? false;
  draft.foreignAuthors = decision.foreignAuthors;
  state.drafts.set(ckey, draft);
  // The master version the conflict is against: the ship recognises its resolution by
  // version (a newer update that no longer names the conflict open), never by clocks.
  const outcome: ChangeOutcomeDto = {
    changeId: change.changeId,
    seq: change.seq,
    documentId: change.documentId,
    type: change.type,
    locale: change.locale,
    status: 'conflict',
    conflictId: draft.id,
  };
  if (current) outcome.version = current.version;
  return outcome;
}

/** The ship's first conflicting change to the document in the batch: its conflict's draft. */
function newConflictDraft(
  state: BatchPlanState,
  at: ChangeAtHand,
  decision: Extract<Decision, { outcome: 'conflict' }>,
  ckey: string,
): ConflictDraft {
  const { shipId, change } = at.incoming;
  const openId = state.input.openConflicts.get(ckey);
  return {
    ...at.ref,
    id: openId ?? state.input.newConflictId(),
    isNew: openId === undefined,
    shipId,
    changeId: change.changeId,
    seq: change.seq,
    conflictType: decision.conflictType,
    rule: decision.rule,
    baseVersion: change.baseVersion,
    shipFields: {},
    shipDeleted: false,
    masterVersion: 0,
    masterData: {},
    masterDeleted: false,
    foreignAuthors: [],
  };
}

// Object literals, not spreads followed by more members: every applied change makes one, and such
// a spread was the planner's main cost in the master's profile.
function appliedOutcome(change: ShipChangeDto, version: number): ChangeOutcomeDto {
  return {
    changeId: change.changeId,
    seq: change.seq,
    documentId: change.documentId,
    type: change.type,
    locale: change.locale,
    status: 'applied',
    version,
  };
}
