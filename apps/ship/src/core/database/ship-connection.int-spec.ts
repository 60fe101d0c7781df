import { sql } from 'kysely';
import { Client } from 'pg';
import { PgRelay, terminatedAtHandshake } from '../../../../../test/harness/pg-relay';
import { createTestDatabase, dropTestDatabase } from '../../../../../test/harness/test-infra';
import { ShipConnection } from './ship-connection';

/**
 * A ship on PostgreSQL sees its server end connections (a restart, a fast shutdown): the work in
 * hand fails and the process goes on with new connections.
 */
describe('ship connection: PostgreSQL ends a connection just handed out (real PostgreSQL)', () => {
  let url: string;
  let admin: Client;

  beforeAll(async () => {
    url = await createTestDatabase('ship_terminated');
    admin = new Client({ connectionString: url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    if (url) await dropTestDatabase(url);
  });

  it('fails the query and goes on, without an unhandled error', async () => {
    const relay = await PgRelay.start(url);
    const connection = ShipConnection.open({ client: 'postgres', url: relay.url });
    const one = () => sql<{ ok: number }>`SELECT 1 AS ok`.execute(connection.db);
    try {
      // The pool holds no connection yet: the first query opens one.
      const { result } = await terminatedAtHandshake(relay, admin, one);

      await expect(result).rejects.toThrow();
      expect((await one()).rows).toEqual([{ ok: 1 }]);
    } finally {
      await connection.close();
      await relay.close();
    }
  });
});
