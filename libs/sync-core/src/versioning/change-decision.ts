import { ChangeRejectionCode } from '../contracts/change-rejection-reason.util';
import { ShipChangeOp } from '../contracts/ship-change-op.enum';
import { ConflictPolicy } from './conflict-policy';
import { DocumentData } from './diff-fields';

/** The parts of a ship change that decide its fate. */
export interface ChangeToDecide {
  op: ShipChangeOp;
  baseVersion: number;
  /** Full data for create, changed fields for update, {} for delete. */
  fields: DocumentData;
  editedAt: string;
}

/** The master's current state of the (type, documentId, locale). */
export interface MasterDocumentState {
  version: number;
  /** A tombstone keeps the last data, so a resurrection can start from it. */
  deleted: boolean;
  data: DocumentData;
  updatedAt: string;
}

/** One entry of the master's edit log. */
export interface MasterRevision {
  version: number;
  /** `master:<user>` or `ship:<shipId>`. */
  author: string;
  changedFields: readonly string[];
  deleted: boolean;
  /** When the edit was made: for a ship's change its editedAt, for a master edit the edit time. */
  at: string;
}

/**
 * Everything decideShipChange needs. Locale is part of the document key: the caller passes the
 * state and revisions of the change's own (type, documentId, locale), so the rules never see it.
 */
export interface ShipChangeDecisionInput {
  shipId: string;
  change: ChangeToDecide;
  current: MasterDocumentState | null;
  /** All revisions with version in (change.baseVersion, current.version]; others are ignored. */
  revisionsAfterBase: readonly MasterRevision[];
  policy: ConflictPolicy;
}

export type ConflictType = 'update-update' | 'update-delete' | 'delete-update' | 'create-create';

/** Why a new version is written. */
export type ApplyRule =
  'create' | 'fast-forward' | 'own-revisions' | 'field-merge' | 'ship-wins' | 'last-write-wins';

/** Why the ship's change is discarded; the ship is told it was superseded and gets the master copy. */
export type KeepMasterRule = 'master-wins' | 'last-write-wins';

/** Why nothing needs writing; the change counts as applied at the current version. */
export type NoopRule = 'already-deleted' | 'duplicate-create';

/**
 * Why an operator must decide: the policy says so, the changed fields overlap, a delete is
 * involved where fields cannot merge, two creates met, or the master's log misses versions since
 * the base (authorship unknown, so the safe answer).
 */
export type ConflictRule =
  'manual' | 'field-overlap' | 'delete-involved' | 'create-create' | 'unknown-history';

export type DecisionRejection = Extract<
  ChangeRejectionCode,
  'unknown-document' | 'base-version-ahead'
>;

export type ChangeDecision =
  /** Write version current.version + 1 (or 1 for a new document). */
  | { outcome: 'apply'; data: DocumentData; deleted: boolean; rule: ApplyRule }
  | { outcome: 'keep-master'; rule: KeepMasterRule }
  | {
      outcome: 'conflict';
      conflictType: ConflictType;
      /** Field names the ship's change sets (sorted). */
      shipFields: string[];
      /** Field names others changed since the ship's base (sorted). */
      foreignFields: string[];
      /** Who made those changes (sorted). */
      foreignAuthors: string[];
      /** Fields both sides changed to different values (field-merge only; else []). */
      overlapping: string[];
      rule: ConflictRule;
    }
  | { outcome: 'reject'; reason: DecisionRejection; detail: string }
  | { outcome: 'noop'; rule: NoopRule };
