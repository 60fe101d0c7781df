import type {
  ChangeOutcomeDto,
  ContentTypeRegistry,
  MasterRevision,
  ShipChangeDto,
} from '@offline-sync/sync-core';
import type { ConflictDraft } from '../conflicts/conflict-draft';
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
