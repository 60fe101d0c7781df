import { LocalOnlyFields, masterUpdateKey, type MasterUpdateDto } from '@offline-sync/sync-core';
import type { StoredDocument } from '../documents/documents.table';
import { alreadyHolds } from './already-holds';
import { documentFromUpdate } from './document-from-update';

const update: MasterUpdateDto = {
  type: 'item',
  documentId: '0190a5e4-7c1e-7000-8000-000000000001',
  locale: '',
  version: 4,
  deleted: false,
  data: { title: 'Pump 2', tags: ['engine', 'deck'], spec: { bar: 6, rpm: 1500 } },
  author: 'ship:ship-a',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/** The row the update itself would write, with the same data in another key order. */
const local = (overrides: Partial<StoredDocument> = {}): StoredDocument => ({
  ...documentFromUpdate(
    masterUpdateKey(update.type, update.documentId, update.locale),
    update,
    null,
    LocalOnlyFields.none(),
  ),
  data: JSON.stringify({ spec: { rpm: 1500, bar: 6 }, tags: ['engine', 'deck'], title: 'Pump 2' }),
  ...overrides,
});

describe('alreadyHolds', () => {
  it('is true for a synced row with the same version, deletion and data (key order aside)', () => {
    expect(alreadyHolds(local(), update, LocalOnlyFields.none())).toBe(true);
  });

  it.each<[string, Partial<StoredDocument>]>([
    ['an older version', { version: 3 }],
    ['other data', { data: JSON.stringify({ ...update.data, title: 'Pump 3' }) }],
    ['a reordered array', { data: JSON.stringify({ ...update.data, tags: ['deck', 'engine'] }) }],
    ['a deletion', { deleted: true }],
    ['a pending local edit', { syncState: 'pending' }],
    ['an open conflict', { syncState: 'conflict', conflictId: 'c-1' }],
    ['a rejection shown', { syncState: 'rejected', reason: 'invalid-change' }],
    ['a held update', { heldVersion: 5, heldUpdate: '{}' }],
  ])('is false for %s: the master copy is written', (_, overrides) => {
    expect(alreadyHolds(local(overrides), update, LocalOnlyFields.none())).toBe(false);
  });
});
