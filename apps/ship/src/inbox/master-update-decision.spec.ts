import { decideMasterUpdate, type LocalDocumentState } from './master-update-decision';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();
const local = (overrides: Partial<LocalDocumentState> = {}): LocalDocumentState => ({
  version: 3,
  syncState: 'synced',
  conflictId: null,
  conflictVersion: null,
  heldVersion: null,
  ...overrides,
});

describe('decideMasterUpdate', () => {
  it('applies a document the ship does not have yet (also a deletion marker: it becomes a tombstone)', () => {
    expect(decideMasterUpdate(null, { version: 1, updatedAt: at(0) }, false)).toBe('apply');
  });

  it('applies a newer version, and re-applies the same version (idempotent, converges on merges)', () => {
    expect(decideMasterUpdate(local(), { version: 4, updatedAt: at(1) }, false)).toBe('apply');
    expect(decideMasterUpdate(local(), { version: 3, updatedAt: at(1) }, false)).toBe('apply');
  });

  it('ignores an older version (a late update cannot bring back older data or a deleted document)', () => {
    expect(decideMasterUpdate(local(), { version: 2, updatedAt: at(1) }, false)).toBe('ignore');
    expect(decideMasterUpdate(local(), { version: 2, updatedAt: at(1) }, true)).toBe('ignore');
  });

  it('never overwrites a pending local edit: holds the newest update instead', () => {
    const pending = local({ syncState: 'pending' });
    expect(decideMasterUpdate(pending, { version: 5, updatedAt: at(1) }, true)).toBe('hold');
    expect(
      decideMasterUpdate({ ...pending, heldVersion: 5 }, { version: 4, updatedAt: at(1) }, true),
    ).toBe('ignore');
    expect(
      decideMasterUpdate({ ...pending, heldVersion: 5 }, { version: 6, updatedAt: at(1) }, true),
    ).toBe('hold');
  });

  describe('with an open conflict', () => {
    it('keeps the crew edit against the version the conflict is about, and takes the resolution', () => {
      const conflict = local({ syncState: 'conflict', conflictVersion: 5 });
      expect(decideMasterUpdate(conflict, { version: 5, updatedAt: at(9) }, false)).toBe('ignore');
      expect(decideMasterUpdate(conflict, { version: 6, updatedAt: at(9) }, false)).toBe('apply');
    });

    it('keeps the crew edit through a newer, unrelated version that still names the conflict open', () => {
      const conflict = local({ syncState: 'conflict', conflictId: 'c-1', conflictVersion: 5 });
      const unrelated = { version: 6, updatedAt: at(9), openConflicts: ['c-0', 'c-1'] };
      expect(decideMasterUpdate(conflict, unrelated, false)).toBe('ignore');
      // Whatever the clocks say: a later time does not make an update a resolution.
      expect(decideMasterUpdate(conflict, { ...unrelated, updatedAt: at(99) }, false)).toBe(
        'ignore',
      );
    });

    it('takes the first newer version that no longer names the conflict, even if compaction dropped the resolution', () => {
      const conflict = local({ syncState: 'conflict', conflictId: 'c-1', conflictVersion: 5 });
      const later = { version: 9, updatedAt: at(1), openConflicts: ['c-7'] };
      expect(decideMasterUpdate(conflict, later, false)).toBe('apply');
    });

    it('without the version (an older master), waits for a version newer than its base, never reading times', () => {
      const conflict = local({ syncState: 'conflict', conflictId: 'c-1' });
      expect(decideMasterUpdate(conflict, { version: 3, updatedAt: at(99) }, false)).toBe('ignore');
      expect(decideMasterUpdate(conflict, { version: 4, updatedAt: at(0) }, false)).toBe('apply');
    });

    it('holds the resolution while a newer local edit still waits for the master', () => {
      const conflict = local({ syncState: 'conflict', conflictVersion: 5 });
      expect(decideMasterUpdate(conflict, { version: 6, updatedAt: at(9) }, true)).toBe('hold');
    });
  });
});
