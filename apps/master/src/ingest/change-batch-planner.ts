import {
  changedFieldNames,
  decideShipChange,
  documentTooLargeReason,
  findUnstorableText,
  formatFieldErrors,
  oversizedDocumentBytes,
  shipAuthor,
  type ChangeOutcomeDto,
  type ContentTypeRegistry,
  type MasterRevision,
  type ShipChangeDto,
} from '@offline-sync/sync-core';
import { conflictKey, type ConflictDraft } from '../conflicts/conflict-draft';
import { refKey, type DocumentRef } from '../documents/document-key';
import { rejectedOutcome } from './rejected-outcome';
import type { DocumentState, NewVersion } from '../documents/document-state';

export interface IncomingChange {
  shipId: string;
  change: ShipChangeDto;
  /** The edit time the rules use: the ship's, bounded by its envelope and arrival (effectiveEditedAt). */
  editedAt: string;
  /** False when the envelope's text certainly holds no character a node cannot store. */
  checkText: boolean;
}

export interface PlanInput {
  /** Changes of the batch's new envelopes, in the order the ships made them. */
  changes: IncomingChange[];
  /** Stored high-water mark per ship (0 when none). */
  highWater: ReadonlyMap<string, number>;
  /** Recorded outcomes by outcomeKey, for changes at or below their ship's high-water mark. */
  recorded: ReadonlyMap<string, ChangeOutcomeDto>;
  /** Current states by refKey (missing: the master does not have the document). */
  states: ReadonlyMap<string, DocumentState>;
  /** Revisions after the lowest base version of the batch's changes, by refKey. */
  revisions: ReadonlyMap<string, readonly MasterRevision[]>;
  /** Ids of open conflicts by conflictKey. */
  openConflicts: ReadonlyMap<string, string>;
  /**
   * By acceptedKey: the highest seq of a change this ship already had accepted (applied or in a
   * conflict) for the document, loaded for changes that may arrive after a newer one.
   */
  newestAccepted: ReadonlyMap<string, number>;
  contentTypes: ContentTypeRegistry;
  newConflictId: () => string;
}

export interface BatchPlan {
  versions: NewVersion[];
  /** Outcomes decided now, to record. */
  decided: Array<{ shipId: string; outcome: ChangeOutcomeDto }>;
  /** Every outcome to send per ship, in change order: new ones and re-sent recorded ones. */
  outbound: Map<string, ChangeOutcomeDto[]>;
  conflicts: ConflictDraft[];
  /** New high-water marks of ships that moved. */
  highWater: Map<string, number>;
  counts: { applied: number; conflicts: number; rejected: number; redelivered: number };
}

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
  const states = new Map(input.states);
  const revisions = new Map<string, MasterRevision[]>(
    [...input.revisions].map(([key, list]) => [key, [...list]]),
  );
  const plan: BatchPlan = {
    versions: [],
    decided: [],
    outbound: new Map(),
    conflicts: [],
    highWater: new Map(),
    counts: { applied: 0, conflicts: 0, rejected: 0, redelivered: 0 },
  };
  const decidedNow = new Map<string, ChangeOutcomeDto>();
  const drafts = new Map<string, ConflictDraft>();
  const newestAccepted = new Map(input.newestAccepted);

  const send = (shipId: string, outcome: ChangeOutcomeDto): void => {
    const list = plan.outbound.get(shipId) ?? [];
    list.push(outcome);
    plan.outbound.set(shipId, list);
  };

  for (const incoming of input.changes) {
    const { shipId, change } = incoming;
    const key = outcomeKey(shipId, change.changeId);
    const known = decidedNow.get(key) ?? input.recorded.get(key);
    if (known) {
      // A redelivery: the ship gets the answer it was given before; nothing is applied again.
      plan.counts.redelivered += 1;
      send(shipId, known);
      continue;
    }
    const ref: DocumentRef = {
      type: change.type,
      documentId: change.documentId,
      locale: change.locale,
    };
    const accepted = acceptedKey(shipId, ref);
    const newer = newestAccepted.get(accepted) ?? 0;
    const outcome =
      newer > change.seq
        ? outOfOrder(change, newer, states.get(refKey(ref))?.version)
        : decide(input, states, revisions, drafts, plan, incoming, ref);
    if (outcome.status !== 'rejected') newestAccepted.set(accepted, Math.max(newer, change.seq));
    decidedNow.set(key, outcome);
    plan.decided.push({ shipId, outcome });
    send(shipId, outcome);
    const before = plan.highWater.get(shipId) ?? input.highWater.get(shipId) ?? 0;
    plan.highWater.set(shipId, Math.max(before, change.seq));
    if (outcome.status === 'applied') plan.counts.applied += 1;
    else if (outcome.status === 'conflict') plan.counts.conflicts += 1;
    else plan.counts.rejected += 1;
  }
  plan.conflicts = [...drafts.values()];
  return plan;
}

/**
 * A change older than one this ship already had accepted for the document (a dead letter retried
 * late, a re-sent change whose first envelope was lost): applying it would put older content over
 * newer, so it is superseded by the ship's own later change.
 */
function outOfOrder(change: ShipChangeDto, newerSeq: number, version?: number): ChangeOutcomeDto {
  return rejectedOutcome(
    change,
    'superseded',
    `change ${newerSeq} of this ship to the document was accepted before this older one (${change.seq})`,
    version,
  );
}

function decide(
  input: PlanInput,
  states: Map<string, DocumentState>,
  revisions: Map<string, MasterRevision[]>,
  drafts: Map<string, ConflictDraft>,
  plan: BatchPlan,
  incoming: IncomingChange,
  ref: DocumentRef,
): ChangeOutcomeDto {
  const { shipId, change, editedAt } = incoming;
  const base = {
    changeId: change.changeId,
    seq: change.seq,
    documentId: change.documentId,
    type: change.type,
    locale: change.locale,
  };
  // Object literals, not `{ ...base, ... }`: every applied change makes these, and a spread
  // followed by more members was the planner's main cost in the master's profile.
  const applied = (version: number): ChangeOutcomeDto => ({
    changeId: change.changeId,
    seq: change.seq,
    documentId: change.documentId,
    type: change.type,
    locale: change.locale,
    status: 'applied',
    version,
  });
  const rejected = (code: string, text: string, version?: number): ChangeOutcomeDto =>
    rejectedOutcome(change, code, text, version);

  const definition = input.contentTypes.get(change.type);
  if (!definition) {
    return rejected('unknown-content-type', `content type "${change.type}" is not synced`);
  }
  if (!definition.localized && change.locale !== '') {
    return rejected('invalid-data', `locale: "${change.type}" is not localized, locale must be ''`);
  }
  // No node could store it (PostgreSQL refuses NUL and lone surrogates): refused alone, here.
  const unstorable = incoming.checkText ? findUnstorableText(change.fields) : null;
  if (unstorable) return rejected('invalid-data', formatFieldErrors([unstorable]));
  const key = refKey(ref);
  const state = states.get(key) ?? null;
  // Local-only fields never come from the wire (a ship strips them; one that did not is not
  // believed): the master keeps its own values of them.
  const fields = input.contentTypes.localOnly.strip(change.type, change.fields);
  const onlyLocal = fields !== change.fields && Object.keys(fields).length === 0;
  if (change.op === 'update' && onlyLocal && state && !state.deleted) {
    return applied(state.version);
  }
  const history = revisions.get(key) ?? [];
  const decision = decideShipChange({
    shipId,
    change: {
      op: change.op,
      baseVersion: change.baseVersion,
      fields,
      editedAt,
    },
    current: state
      ? {
          version: state.version,
          deleted: state.deleted,
          data: state.data,
          updatedAt: state.updatedAt,
        }
      : null,
    revisionsAfterBase: history.filter((revision) => revision.version > change.baseVersion),
    policy: definition.policy,
  });

  switch (decision.outcome) {
    case 'apply': {
      if (!decision.deleted) {
        // The resulting document (an update's fields merged into the current data) is capped too.
        const oversized = oversizedDocumentBytes(decision.data);
        if (oversized !== null) return rejected('too-large', documentTooLargeReason(oversized));
        const errors = input.contentTypes.validate(change.type, decision.data);
        if (errors.length > 0) return rejected('invalid-data', formatFieldErrors(errors));
      }
      const version = (state?.version ?? 0) + 1;
      const before = state && !state.deleted ? state.data : {};
      const changedFields = decision.deleted ? [] : changedFieldNames(before, decision.data);
      const author = shipAuthor(shipId);
      const newVersion: NewVersion = {
        type: ref.type,
        documentId: ref.documentId,
        locale: ref.locale,
        version,
        deleted: decision.deleted,
        data: decision.data,
        author,
        changedFields,
        origin: { shipId, changeId: change.changeId },
        at: editedAt,
      };
      plan.versions.push(newVersion);
      states.set(key, {
        type: ref.type,
        documentId: ref.documentId,
        locale: ref.locale,
        version,
        deleted: decision.deleted,
        data: decision.data,
        updatedAt: editedAt,
        updatedBy: author,
      });
      history.push({
        version,
        author,
        changedFields,
        deleted: decision.deleted,
        at: editedAt,
      });
      revisions.set(key, history);
      return applied(version);
    }
    case 'noop':
      return applied(state?.version ?? 1);
    case 'keep-master':
      return rejected(
        'superseded',
        `${decision.rule}: the master keeps version ${state?.version ?? 0}`,
        state?.version,
      );
    case 'reject':
      return rejected(decision.reason, decision.detail);
    case 'conflict': {
      const ckey = conflictKey(ref, shipId);
      const openId = input.openConflicts.get(ckey);
      const draft: ConflictDraft = drafts.get(ckey) ?? {
        ...ref,
        id: openId ?? input.newConflictId(),
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
      draft.changeId = change.changeId;
      draft.seq = change.seq;
      draft.conflictType = decision.conflictType;
      draft.rule = decision.rule;
      draft.shipFields = { ...draft.shipFields, ...fields };
      draft.shipDeleted = change.op === 'delete';
      draft.masterVersion = state?.version ?? 0;
      draft.masterData = state?.data ?? {};
      draft.masterDeleted = state?.deleted ?? false;
      draft.foreignAuthors = decision.foreignAuthors;
      drafts.set(ckey, draft);
      // The master version the conflict is against: the ship recognises its resolution by
      // version (a newer update that no longer names the conflict open), never by clocks.
      const outcome: ChangeOutcomeDto = { ...base, status: 'conflict', conflictId: draft.id };
      if (state) outcome.version = state.version;
      return outcome;
    }
  }
}
