import { DataSource } from 'typeorm';
import { openShipTestDatabase, type ShipTestDatabase } from '../../testing/ship-test-database';
import { changeOf } from '../../testing/ship-row-fixtures';
import { OutboxChangeEntity } from '../../outbox/entities/outbox-change.entity';
import { insertRows } from './insert-rows';
import { updateRowsIn } from './update-rows';

/** updateRowsIn writes what `update` writes, on the ship's own schema, on both of its databases. */
describe.each(['sqlite', 'postgres'] as const)('updateRowsIn (%s)', (client) => {
  let database: ShipTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await openShipTestDatabase(client, 'ship_update_rows');
    dataSource = database.dataSource;
    await dataSource.runMigrations();
  });

  beforeEach(async () => {
    await dataSource.manager.clear(OutboxChangeEntity);
    const changes = Array.from({ length: 10 }, (_, n) => changeOf(n, 'sent'));
    await insertRows(dataSource.manager, OutboxChangeEntity, changes, { rowsPerStatement: 5 });
  });

  afterAll(() => database?.close());

  const all = () => dataSource.manager.find(OutboxChangeEntity, { order: { id: 'ASC' } });

  it('sets the columns of the rows listed, over several statements, as update would', async () => {
    const rows = await all();
    const picked = rows.filter((_, i) => i % 3 !== 1).map((row) => row.id);
    const query = jest.spyOn(dataSource.manager, 'query');
    const set = {
      status: 'applied' as const,
      outcomeVersion: 7,
      conflictId: null,
      settledAt: '2026-02-01T00:00:00.000Z',
    };
    await updateRowsIn(dataSource.manager, OutboxChangeEntity, 'id', picked, set, {
      valuesPerStatement: 4,
    });
    // 7 ids: 4, then 3 padded to 4; the number is bound, not written into the text.
    expect(query.mock.calls.map(([sql]) => String(sql))).toHaveLength(2);
    expect(query.mock.calls.every(([sql]) => !/= 7\b/.test(String(sql)))).toBe(true);
    expect(query.mock.calls.every(([, parameters]) => (parameters as unknown[]).includes(7))).toBe(
      true,
    );
    query.mockRestore();

    const expected = rows.map((row) => (picked.includes(row.id) ? { ...row, ...set } : row));
    const after = await all();
    expect(after).toEqual(expected);
    expect(typeof after[0].outcomeVersion).toBe('number');
  });

  it('does nothing for no ids or nothing to set, and refuses an unknown column', async () => {
    const before = await all();
    await updateRowsIn(
      dataSource.manager,
      OutboxChangeEntity,
      'id',
      [],
      { attempts: 3 },
      {
        valuesPerStatement: 5,
      },
    );
    await updateRowsIn(
      dataSource.manager,
      OutboxChangeEntity,
      'id',
      [before[0].id],
      {},
      {
        valuesPerStatement: 5,
      },
    );
    expect(await all()).toEqual(before);
    await expect(
      updateRowsIn(dataSource.manager, OutboxChangeEntity, 'id', [1], { nope: 1 } as never, {
        valuesPerStatement: 5,
      }),
    ).rejects.toThrow('has no column nope');
  });
});
