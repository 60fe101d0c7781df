import { lastSyncAt } from './last-sync-at';

describe('lastSyncAt', () => {
  it('is null before any exchange', () => {
    expect(lastSyncAt({})).toBeNull();
    expect(lastSyncAt({ last_seq: '12' })).toBeNull();
  });

  it('is the latest of push, pull and outcome', () => {
    expect(
      lastSyncAt({
        last_push_at: '2026-01-01T10:00:00.000Z',
        last_pull_at: '2026-01-01T12:00:00.000Z',
        last_outcome_at: '2026-01-01T11:00:00.000Z',
      }),
    ).toBe('2026-01-01T12:00:00.000Z');
    expect(lastSyncAt({ last_outcome_at: '2026-01-02T00:00:00.000Z' })).toBe(
      '2026-01-02T00:00:00.000Z',
    );
  });

  it('ignores a value that is not a time', () => {
    expect(lastSyncAt({ last_push_at: 'garbage', last_pull_at: '2026-01-01T00:00:00.000Z' })).toBe(
      '2026-01-01T00:00:00.000Z',
    );
  });
});
