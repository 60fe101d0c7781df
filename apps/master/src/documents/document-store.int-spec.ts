import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { createTestDatabase, dropTestDatabase } from '../../../../test/harness/test-infra';
import type { DocumentRef } from './document-key';
import { DocumentStore } from './document-store';

/** Document locks on a real PostgreSQL: bounded in number, and exclusive between transactions. */
describe('DocumentStore.lock (real PostgreSQL)', () => {
  const store = new DocumentStore();
  let databaseUrl: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('document_locks');
    dataSource = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  const refs = (count: number): DocumentRef[] =>
    Array.from({ length: count }, () => ({ type: 'article', documentId: uuidv7(), locale: 'en' }));

  it('holds at most 1,024 locks for a batch larger than the shared lock table (per-document locks would exhaust it)', async () => {
    const [{ capacity }] = await dataSource.query<{ capacity: number }[]>(
      `SELECT current_setting('max_locks_per_transaction')::int
              * current_setting('max_connections')::int AS capacity`,
    );
    const batch = refs(capacity + 5_000);
    const held = await dataSource.transaction(async (manager) => {
      await store.lock(manager, batch);
      const [{ count }] = await manager.query<{ count: string }[]>(
        `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`,
      );
      return Number(count);
    });
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(1024);
  });

  it('makes a second transaction wait for a document the first one holds', async () => {
    const [shared] = refs(1);
    const first = dataSource.createQueryRunner();
    await first.connect();
    await first.startTransaction();
    try {
      await store.lock(first.manager, [shared, ...refs(50)]);
      const blocked = dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = '300ms'`);
        await store.lock(manager, [shared]);
      });
      await expect(blocked).rejects.toMatchObject({ driverError: { code: '55P03' } });
    } finally {
      await first.rollbackTransaction();
      await first.release();
    }
    // Released with the transaction: the same lock is free again.
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = '300ms'`);
        await store.lock(manager, [shared]);
      }),
    ).resolves.toBeUndefined();
  });
});
