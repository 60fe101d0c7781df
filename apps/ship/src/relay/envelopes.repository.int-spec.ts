import { openShipTestDatabase, type ShipTestDatabase } from '../testing/ship-test-database';
import { EnvelopesRepository } from './envelopes.repository';
import type { EnvelopeStatus, OutboxEnvelope } from './sync-envelopes.table';

const envelopeOf = (n: number, status: EnvelopeStatus): OutboxEnvelope => ({
  messageId: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  firstSeq: n * 10,
  lastSeq: n * 10 + 9,
  changeCount: 10,
  body: 'x'.repeat(100 + n),
  status,
  attempts: 0,
  lastError: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  sentAt: null,
});

/** The relay's head of line by size, on the ship's schema, on both of its databases. */
describe.each(['sqlite', 'postgres'] as const)(
  'EnvelopesRepository.pendingSizes (%s)',
  (client) => {
    let database: ShipTestDatabase;
    const envelopes = new EnvelopesRepository();
    const statements: string[] = [];

    beforeAll(async () => {
      database = await openShipTestDatabase(client, 'ship_pending_envelopes', {
        onQuery: (sql) => statements.push(sql),
      });
      // Inserted out of seq order; 3 is sent, 6 failed.
      const statuses: EnvelopeStatus[] = [
        'pending',
        'pending',
        'sent',
        'pending',
        'pending',
        'failed',
      ];
      for (const n of [4, 1, 2, 6, 3, 5]) {
        await envelopes.insert(database.db, envelopeOf(n, statuses[n - 1]));
      }
    });

    afterAll(() => database?.close());

    const ids = (...ns: number[]) =>
      ns.map((n) => ({ messageId: envelopeOf(n, 'pending').messageId, bytes: 100 + n }));

    it('lists pending envelopes by size in seq order, behind `after`, at most `limit`', async () => {
      const { db } = database;
      expect(await envelopes.pendingSizes(db, null, 10)).toEqual(ids(1, 2, 4, 5));
      expect(await envelopes.pendingSizes(db, null, 2)).toEqual(ids(1, 2));
      expect(await envelopes.pendingSizes(db, 10, 10)).toEqual(ids(2, 4, 5));
      expect(await envelopes.pendingSizes(db, 20, 1)).toEqual(ids(4));
      expect(await envelopes.pendingSizes(db, 50, 10)).toEqual([]);
    });

    it('binds every value, so one statement text serves every position and limit', async () => {
      statements.length = 0;
      await envelopes.pendingSizes(database.db, 10, 3);
      await envelopes.pendingSizes(database.db, 40, 7);
      const [first, second] = statements;
      expect(second).toBe(first);
      expect(first.replace(/\$\d+/g, '')).not.toMatch(/\d/);
    });
  },
);
