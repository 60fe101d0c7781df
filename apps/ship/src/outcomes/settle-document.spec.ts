import { settleDocument, type DocumentSyncFields } from './settle-document';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();
const pending = (overrides: Partial<DocumentSyncFields> = {}): DocumentSyncFields => ({
  version: 3,
  syncState: 'pending',
  conflictId: null,
  conflictVersion: null,
  conflictAt: null,
  reason: null,
  heldVersion: null,
  ...overrides,
});

describe('settleDocument (document state transitions on an outcome)', () => {
  it('pending → synced on applied, base version moving to the master version', () => {
    const { fields, applyHeld } = settleDocument(
      pending(),
      { status: 'applied', version: 4 },
      at(1),
      false,
      null,
    );
    expect(fields).toMatchObject({ version: 4, syncState: 'synced', reason: null });
    expect(applyHeld).toBe(false);
  });

  it('stays pending on applied while a later local change of the document still waits', () => {
    const { fields } = settleDocument(
      pending(),
      { status: 'applied', version: 4 },
      at(1),
      true,
      null,
    );
    expect(fields).toMatchObject({ version: 4, syncState: 'pending' });
  });

  it('applies the held master update once the last change is settled, if it is not older', () => {
    const held = { version: 5, updatedAt: at(2) };
    expect(
      settleDocument(
        pending({ heldVersion: 5 }),
        { status: 'applied', version: 4 },
        at(1),
        false,
        held,
      ).applyHeld,
    ).toBe(true);
    // The held update was the master's copy before this change: older than the result, dropped.
    expect(
      settleDocument(pending({ heldVersion: 4 }), { status: 'applied', version: 5 }, at(1), false, {
        version: 4,
        updatedAt: at(0),
      }).applyHeld,
    ).toBe(false);
  });

  it('pending → conflict, keeping the crew edit and the master version held aside', () => {
    const { fields, applyHeld } = settleDocument(
      pending({ heldVersion: 5 }),
      { status: 'conflict', conflictId: 'c-1', version: 5 },
      at(3),
      false,
      { version: 5, updatedAt: at(2) },
    );
    expect(fields).toMatchObject({
      syncState: 'conflict',
      conflictId: 'c-1',
      conflictVersion: 5,
      conflictAt: at(3),
      version: 3,
    });
    expect(applyHeld).toBe(false);
  });

  it('a conflict stays shown when a later change of the document is applied', () => {
    const conflict = pending({ syncState: 'conflict', conflictId: 'c-1', conflictVersion: 5 });
    const { fields } = settleDocument(
      conflict,
      { status: 'applied', version: 6 },
      at(4),
      false,
      null,
    );
    expect(fields).toMatchObject({ syncState: 'conflict', conflictId: 'c-1' });
  });

  it('pending → rejected with the reason; the master copy replaces it when held', () => {
    const rejected = settleDocument(
      pending(),
      { status: 'rejected', reason: 'invalid-data: title too long' },
      at(1),
      false,
      null,
    );
    expect(rejected.fields).toMatchObject({
      syncState: 'rejected',
      reason: 'invalid-data: title too long',
      version: 3,
    });
    const superseded = settleDocument(
      pending({ heldVersion: 6 }),
      { status: 'rejected', reason: 'superseded', version: 6 },
      at(1),
      false,
      { version: 6, updatedAt: at(0) },
    );
    expect(superseded.applyHeld).toBe(true);
  });
});
