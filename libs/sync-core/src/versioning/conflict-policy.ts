/**
 * What the master does when a ship change meets revisions by someone else since its base version;
 * declared per content type (the list of names lives with the content type definitions).
 * - manual: open a conflict for an operator, keep the master's data (the default).
 * - field-merge: merge when the changed field sets do not overlap, else as manual.
 * - master-wins / ship-wins: the named side's edit stands, the other is discarded.
 * - last-write-wins: the later edit by its own clock stands.
 */
export type ConflictPolicy =
  'manual' | 'field-merge' | 'master-wins' | 'ship-wins' | 'last-write-wins';
