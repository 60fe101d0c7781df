import { connect, createServer, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
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

  /** Backends of the test database other than the admin connection. */
  async function backends(): Promise<number[]> {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return rows.map((r) => r.pid);
  }

  async function terminate(pids: number[]): Promise<void> {
    for (const pid of pids) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitFor(async () => (await backends()).every((pid) => !pids.includes(pid)), {
      description: `backends ${pids.join(', ')} gone`,
    });
  }

  it('fails a transaction whose connection is terminated, and goes on with a new one', async () => {
    const dataSource = new DataSource(masterDataSourceOptions(url, [], 4));
    await dataSource.initialize();
    try {
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      const [{ pid }] = (await runner.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      await terminate([pid]);
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
    // A relay in front of PostgreSQL that can hold what the server sends on a new connection, so
    // that its "ready" and the termination reach the client in one read: the pool has handed the
    // connection out by then, before anyone listened for its errors.
    const target = new URL(url);
    let holding = false;
    const held: Buffer[] = [];
    let heldClient: Socket | null = null;
    const relay: Server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      const hold = holding;
      if (hold) heldClient = client;
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => (hold ? undefined : client.destroy()));
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => (hold ? held.push(chunk) : client.write(chunk)));
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
    const address = relay.address();
    if (!address || typeof address === 'string') throw new Error('relay has no port');
    const relayed = new URL(url);
    relayed.hostname = '127.0.0.1';
    relayed.port = String(address.port);
    const dataSource = new DataSource(masterDataSourceOptions(relayed.toString(), [], 4));
    await dataSource.initialize();
    try {
      // The pool's idle connection goes: the next one is new.
      await terminate(await backends());
      const pool = (dataSource.driver as unknown as { master: { totalCount: number } }).master;
      await waitFor(() => pool.totalCount === 0, { description: 'the pool empty' });
      holding = true;
      const query = dataSource.query('SELECT 1 AS ok');
      const [pid] = await waitFor(
        async () => {
          const found = await backends();
          return found.length > 0 ? found : undefined;
        },
        { description: 'the new connection at the server' },
      );
      // ReadyForQuery ('Z', length 5): the handshake is over and held.
      await waitFor(() => Buffer.concat(held).includes(Buffer.from([0x5a, 0, 0, 0, 5])), {
        description: 'the end of the handshake held',
      });
      await terminate([pid]);
      await waitFor(() => Buffer.concat(held).includes('57P01'), {
        description: 'the termination held too',
      });
      holding = false;
      (heldClient as Socket | null)?.write(Buffer.concat(held));

      await expect(query).rejects.toThrow();
      expect(await dataSource.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    } finally {
      await dataSource.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });
});
