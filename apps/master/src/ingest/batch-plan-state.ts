import type { ChangeOutcomeDto, MasterRevision } from '@offline-sync/sync-core';
import type { ConflictDraft } from '../conflicts/conflict-draft';
import type { DocumentState, NewVersion } from '../documents/document-state';
import type { BatchPlan, PlanInput } from './batch-plan';

/**
 * What deciding a batch changes as it goes, so that each change sees what the earlier ones of the
 * batch did: the documents' states and edit logs, the conflicts drafted, the outcomes decided, and
 * the plan being built. The input's maps are copied, never changed.
 */
export class BatchPlanState {
  /** Current states by refKey, with the versions planned so far. */
  readonly states: Map<string, DocumentState>;
  /** Edit logs by refKey, with the versions planned so far. */
  readonly revisions: Map<string, MasterRevision[]>;
  /** By acceptedKey: the highest seq accepted so far (see PlanInput.newestAccepted). */
  readonly newestAccepted: Map<string, number>;
  /** Conflicts to open or update, by conflictKey. */
  readonly drafts = new Map<string, ConflictDraft>();
  /** Outcomes decided in this batch, by outcomeKey. */
  private readonly decidedNow = new Map<string, ChangeOutcomeDto>();
  private readonly plan: BatchPlan = {
    versions: [],
    decided: [],
    outbound: new Map(),
    conflicts: [],
    highWater: new Map(),
    counts: { applied: 0, conflicts: 0, rejected: 0, redelivered: 0 },
  };

  constructor(readonly input: PlanInput) {
    this.states = new Map(input.states);
    this.revisions = new Map<string, MasterRevision[]>(
      [...input.revisions].map(([key, list]) => [key, [...list]]),
    );
    this.newestAccepted = new Map(input.newestAccepted);
  }

  /** The outcome a change was given before, in this batch or an earlier one. */
  knownOutcome(key: string): ChangeOutcomeDto | undefined {
    return this.decidedNow.get(key) ?? this.input.recorded.get(key);
  }

  /** A redelivery: the ship gets the answer it was given before; nothing is applied again. */
  resend(shipId: string, known: ChangeOutcomeDto): void {
    this.plan.counts.redelivered += 1;
    this.send(shipId, known);
  }

  /** A new version planned: later changes of the batch see it as the state and in the log. */
  addVersion(key: string, history: MasterRevision[], planned: NewVersion): void {
    this.plan.versions.push(planned);
    this.states.set(key, {
      type: planned.type,
      documentId: planned.documentId,
      locale: planned.locale,
      version: planned.version,
      deleted: planned.deleted,
      data: planned.data,
      updatedAt: planned.at,
      updatedBy: planned.author,
    });
    history.push({
      version: planned.version,
      author: planned.author,
      changedFields: planned.changedFields,
      deleted: planned.deleted,
      at: planned.at,
    });
    this.revisions.set(key, history);
  }

  /** A change decided now: recorded, sent, counted, and its ship's high-water mark moved. */
  record(shipId: string, key: string, seq: number, outcome: ChangeOutcomeDto): void {
    this.decidedNow.set(key, outcome);
    this.plan.decided.push({ shipId, outcome });
    this.send(shipId, outcome);
    const before = this.plan.highWater.get(shipId) ?? this.input.highWater.get(shipId) ?? 0;
    this.plan.highWater.set(shipId, Math.max(before, seq));
    if (outcome.status === 'applied') this.plan.counts.applied += 1;
    else if (outcome.status === 'conflict') this.plan.counts.conflicts += 1;
    else this.plan.counts.rejected += 1;
  }

  /** The plan, once every change of the batch is decided. */
  finish(): BatchPlan {
    this.plan.conflicts = [...this.drafts.values()];
    return this.plan;
  }

  private send(shipId: string, outcome: ChangeOutcomeDto): void {
    const list = this.plan.outbound.get(shipId) ?? [];
    list.push(outcome);
    this.plan.outbound.set(shipId, list);
  }
}
