import { Column, DataSource, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { insertRows } from './insert-rows';

@Entity({ name: 'sample_rows' })
class SampleRow {
  @PrimaryColumn({ type: 'varchar' })
  key!: string;

  @Column({ type: 'integer' })
  count!: number;

  @Column({ type: 'boolean' })
  flag!: boolean;

  @Column({ type: 'varchar', name: 'label_text' })
  label!: string;
}

@Entity({ name: 'sample_log' })
class SampleLog {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar' })
  text!: string;
}

/** insertRows against a real SQLite database (in memory), as the ship runs it. */
describe('insertRows', () => {
  let db: DataSource;

  beforeEach(async () => {
    db = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [SampleRow, SampleLog],
      synchronize: true, // a throw-away schema for this spec only; the apps run migrations
    });
    await db.initialize();
  });

  afterEach(() => db.destroy());

  const row = (key: string, count: number, flag = false, label = key): SampleRow =>
    Object.assign(new SampleRow(), { key, count, flag, label });
  const all = () => db.manager.find(SampleRow, { order: { key: 'ASC' } });

  it('writes every row over several statements, with values converted as TypeORM does', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => row(`k${i}`, i, i % 2 === 0));
    await insertRows(db.manager, SampleRow, rows, { rowsPerStatement: 3 });
    expect(await all()).toEqual(rows);
  });

  it('cuts the rows into chunks of a few sizes, in order (statement-sizes)', async () => {
    const query = jest.spyOn(db.manager, 'query');
    const rows = Array.from({ length: 13 }, (_, i) => row(`k${String(i).padStart(2, '0')}`, i));
    await insertRows(db.manager, SampleRow, rows, { rowsPerStatement: 5 });
    // 4 columns bound per row: 5 + 5 + 2 + 1 rows.
    expect(query.mock.calls.map(([, parameters]) => (parameters as unknown[]).length / 4)).toEqual([
      5, 5, 2, 1,
    ]);
    expect(await all()).toEqual(rows);
  });

  it('runs one text per chunk size, the SQLite or PostgreSQL one', async () => {
    const query = jest.spyOn(db.manager, 'query');
    const rows = Array.from({ length: 6 }, (_, i) => row(`k${i}`, i));
    await insertRows(db.manager, SampleRow, rows, { rowsPerStatement: 2 });
    const texts = query.mock.calls.map(([text]) => text);
    expect(texts).toHaveLength(3);
    expect(texts[1]).toBe(texts[0]);
    expect(texts[0]).toMatch(/VALUES \(\?, \?, \?, \?\), \(\?, \?, \?, \?\)$/);
    expect(await all()).toEqual(rows);
  });

  it('leaves generated columns to the database', async () => {
    const logs = ['a', 'b'].map((text) => Object.assign(new SampleLog(), { text }));
    await insertRows(db.manager, SampleLog, logs, { rowsPerStatement: 10 });
    expect(await db.manager.find(SampleLog, { order: { id: 'ASC' } })).toEqual([
      { id: 1, text: 'a' },
      { id: 2, text: 'b' },
    ]);
  });

  it('updates only the listed columns of a clashing row', async () => {
    await insertRows(db.manager, SampleRow, [row('a', 1, false, 'first')], { rowsPerStatement: 5 });
    await insertRows(db.manager, SampleRow, [row('a', 2, true, 'second'), row('b', 3)], {
      rowsPerStatement: 5,
      conflict: { columns: ['key'], update: ['count', 'flag'] },
    });
    expect(await all()).toEqual([row('a', 2, true, 'first'), row('b', 3)]);
  });

  it('keeps the existing row when no column is to be updated', async () => {
    await insertRows(db.manager, SampleRow, [row('a', 1)], { rowsPerStatement: 5 });
    await insertRows(db.manager, SampleRow, [row('a', 9, true), row('c', 4)], {
      rowsPerStatement: 5,
      conflict: { columns: ['key'], update: [] },
    });
    expect(await all()).toEqual([row('a', 1), row('c', 4)]);
  });

  it('refuses a row without a value, writing nothing of that statement', async () => {
    const partial = Object.assign(new SampleRow(), { key: 'x', count: 1, flag: false });
    await expect(
      insertRows(db.manager, SampleRow, [row('y', 2), partial], { rowsPerStatement: 5 }),
    ).rejects.toThrow('no value for sample_rows.label_text');
    expect(await all()).toEqual([]);
  });

  it.each([0, -1, 1.5, NaN])('refuses rowsPerStatement %p', async (rowsPerStatement) => {
    await expect(
      insertRows(db.manager, SampleRow, [row('a', 1)], { rowsPerStatement }),
    ).rejects.toThrow(RangeError);
  });
});
