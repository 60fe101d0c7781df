import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  databaseBackends,
  PgRelay,
  terminateBackends,
  terminatedAtHandshake,
} from '../../../../../test/harness/pg-relay';
import {
  createTestDatabase,
  dropTestDatabase,
  waitFor,
} from '../../../../../test/harness/test-infra';
import { masterDataSourceOptions } from './master-data-source.options';

/**
 * PostgreSQL ends connections of its own accord: a fast shutdown or a restart terminates every
 * backend ("terminating connection due to administrator command"). Whatever the master was doing
 * with the connection, the work in hand must fail and the process go on; an 'error' event that
 * nobody listens to would take the whole process down.
 */
describe('master data source: connections PostgreSQL terminates (real PostgreSQL)', () => {
  let url: string;
  let admin: Client;

  beforeAll(async () => {
    url = await createTestDatabase('master_terminated');
    admin = new Client({ connectionString: url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    if (url) await dropTestDatabase(url);
  });

  it('fails a transaction whose connection is terminated, and goes on with a new one', async () => {
    const dataSource = new DataSource(masterDataSourceOptions(url, [], 4));
    await dataSource.initialize();
    try {
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      const [{ pid }] = (await runner.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      await terminateBackends(admin, [pid]);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the socket's turn

      await expect(runner.query('SELECT 1')).rejects.toThrow();
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
      expect(await dataSource.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('survives a termination that arrives with the end of the connection handshake', async () => {
    const relay = await PgRelay.start(url);
    const dataSource = new DataSource(masterDataSourceOptions(relay.url, [], 4));
    await dataSource.initialize();
    try {
      // The pool's idle connection goes: the next one is new.
      await terminateBackends(admin, await databaseBackends(admin));
      const pool = (dataSource.driver as unknown as { master: { totalCount: number } }).master;
      await waitFor(() => pool.totalCount === 0, { description: 'the pool empty' });
      const { result } = await terminatedAtHandshake(relay, admin, () =>
        dataSource.query('SELECT 1 AS ok'),
      );

      await expect(result).rejects.toThrow();
      expect(await dataSource.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    } finally {
      await dataSource.destroy();
      await relay.close();
    }
  });
});
