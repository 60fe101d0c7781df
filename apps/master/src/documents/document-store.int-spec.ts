import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { createTestDatabase, dropTestDatabase } from '../../../../test/harness/test-infra';
import { MASTER_MIGRATIONS } from '../core/database/master-migrations';
import type { RevisionLog } from '../revisions/revision-log';
import type { MasterConfig } from '../core/config/master-config';
import { refKey, type DocumentRef } from './document-key';
import type { NewVersion } from './document-state';
import { DocumentStore } from './document-store';
import { ConcurrentCreateError, VersionWriter } from './version-writer';

/**
 * Document locks on a real PostgreSQL: row locks, so any number per transaction and exclusive
 * only between writers of the same document; a concurrent create of one document fails the later
 * writer instead of overwriting the first.
 */
describe('DocumentStore.lockAndLoad (real PostgreSQL)', () => {
  const store = new DocumentStore();
  // Only the document row matters here: revisions and outbox rows are the writer's other steps.
  const writer = new VersionWriter(
    { append: () => Promise.resolve() } as unknown as RevisionLog,
    { add: () => Promise.resolve() },
    { topics: { masterUpdates: 'master-updates' } } as unknown as MasterConfig,
  );
  let databaseUrl: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('document_locks');
    dataSource = await new DataSource({
      type: 'postgres',
      url: databaseUrl,
      migrations: MASTER_MIGRATIONS,
    }).initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  const refs = (count: number): DocumentRef[] =>
    Array.from({ length: count }, () => ({ type: 'article', documentId: uuidv7(), locale: 'en' }));

  const created = (ref: DocumentRef, data: Record<string, unknown>): NewVersion => ({
    ...ref,
    version: 1,
    deleted: false,
    data,
    author: 'master:test',
    changedFields: Object.keys(data),
    at: new Date().toISOString(),
  });

  async function insert(batch: DocumentRef[]): Promise<void> {
    await dataSource.query(
      `INSERT INTO documents (type, id, locale, version, data, updated_by)
       SELECT type, id, locale, 1, '{}', 'master:test'
         FROM unnest($1::text[], $2::uuid[], $3::text[]) AS k(type, id, locale)`,
      [batch.map((r) => r.type), batch.map((r) => r.documentId), batch.map((r) => r.locale)],
    );
  }

  const withLockTimeout = (manager: EntityManager): Promise<unknown> =>
    manager.query(`SET LOCAL lock_timeout = '300ms'`);

  it('locks a batch larger than the shared lock table without using it (no advisory locks, a few relation locks)', async () => {
    const [{ capacity }] = await dataSource.query<{ capacity: number }[]>(
      `SELECT current_setting('max_locks_per_transaction')::int
              * current_setting('max_connections')::int AS capacity`,
    );
    const batch = refs(capacity + 5_000);
    await insert(batch);
    const { loaded, held } = await dataSource.transaction(async (manager) => {
      const states = await store.lockAndLoad(manager, batch);
      const [{ count }] = await manager.query<{ count: string }[]>(
        `SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()`,
      );
      return { loaded: states.size, held: Number(count) };
    });
    expect(loaded).toBe(batch.length);
    expect(held).toBeLessThan(50);
  });

  it('makes a second transaction wait for a document the first one holds, and only for it', async () => {
    const [shared, other, ...rest] = refs(52);
    await insert([shared, other, ...rest]);
    const first = dataSource.createQueryRunner();
    await first.connect();
    await first.startTransaction();
    try {
      await store.lockAndLoad(first.manager, [shared, ...rest]);
      const blocked = dataSource.transaction(async (manager) => {
        await withLockTimeout(manager);
        await store.lockAndLoad(manager, [other, shared]);
      });
      await expect(blocked).rejects.toMatchObject({ driverError: { code: '55P03' } });
      // A document the first transaction does not hold is free.
      await expect(
        dataSource.transaction(async (manager) => {
          await withLockTimeout(manager);
          return (await store.lockAndLoad(manager, [other])).size;
        }),
      ).resolves.toBe(1);
    } finally {
      await first.rollbackTransaction();
      await first.release();
    }
    // Released with the transaction: the same lock is free again.
    await expect(
      dataSource.transaction(async (manager) => {
        await withLockTimeout(manager);
        return (await store.lockAndLoad(manager, [shared])).size;
      }),
    ).resolves.toBe(1);
  });

  it('lets only one of two concurrent creates of a document write it; the other fails to be retried', async () => {
    const [ref, alone] = refs(2);
    const first = dataSource.createQueryRunner();
    await first.connect();
    await first.startTransaction();
    try {
      expect((await store.lockAndLoad(first.manager, [ref])).size).toBe(0);
      await writer.write(first.manager, [created(ref, { by: 'first' })]);
      // The second writer does not see the uncommitted row either: its insert waits for the first.
      const second = dataSource.transaction(async (manager) => {
        await store.lockAndLoad(manager, [ref, alone]);
        await writer.write(manager, [
          created(ref, { by: 'second' }),
          created(alone, { by: 'second' }),
        ]);
      });
      await first.commitTransaction();
      await expect(second).rejects.toBeInstanceOf(ConcurrentCreateError);
    } finally {
      if (first.isTransactionActive) await first.rollbackTransaction();
      await first.release();
    }
    const states = await store.load(dataSource.manager, [ref, alone]);
    expect(states.get(refKey(ref))?.data).toEqual({ by: 'first' });
    expect(states.size).toBe(1); // the failed transaction wrote nothing
  });
});
