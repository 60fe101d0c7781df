import { openInMemoryShipDatabase, type ShipTestDatabase } from '../../testing/ship-test-database';
import { RepeatedInsert } from './repeated-insert';

type MetaRow = { name: string; value: string };

/** RepeatedInsert against a real SQLite database (in memory) with the ship's schema. */
describe('RepeatedInsert', () => {
  let database: ShipTestDatabase;
  const compiled: string[] = [];
  const run: string[] = [];
  let insert: RepeatedInsert<MetaRow>;

  beforeEach(async () => {
    database = await openInMemoryShipDatabase({ onQuery: (sql) => run.push(sql) });
    compiled.length = 0;
    run.length = 0;
    insert = new RepeatedInsert<MetaRow>(['name', 'value'], (db, rows) => {
      const query = db.insertInto('sync_meta').values([...rows]);
      compiled.push(query.compile().sql);
      return query;
    });
  });

  afterEach(() => database.close());

  const all = () =>
    database.db.selectFrom('sync_meta').select(['name', 'value']).orderBy('name').execute();
  const rows = (from: number, count: number): MetaRow[] =>
    Array.from({ length: count }, (_, i) => ({ name: `k${from + i}`, value: `v${from + i}` }));

  it('binds each chunk of rows into the text built once for its row count', async () => {
    await insert.run(database.db, rows(10, 2));
    await insert.run(database.db, rows(20, 2));
    await insert.run(database.db, rows(30, 1));
    await insert.run(database.db, rows(40, 2));
    expect(compiled).toHaveLength(2);
    expect(new Set(run).size).toBe(2);
    expect(await all()).toEqual([...rows(10, 2), ...rows(20, 2), ...rows(30, 1), ...rows(40, 2)]);
  });

  it('refuses a row without a value, writing nothing of that statement', async () => {
    await expect(
      insert.run(database.db, [{ name: 'a', value: 'x' }, { name: 'b' } as MetaRow]),
    ).rejects.toThrow('no value for value');
    expect(await all()).toEqual([]);
  });

  it('refuses columns listed in another order than the rows bind them', async () => {
    const swapped = new RepeatedInsert<MetaRow>(['value', 'name'], (db, list) =>
      db.insertInto('sync_meta').values([...list]),
    );
    await expect(swapped.run(database.db, rows(1, 1))).rejects.toThrow('columns differ');
    expect(await all()).toEqual([]);
  });
});
