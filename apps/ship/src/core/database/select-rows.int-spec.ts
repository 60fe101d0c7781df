import { DataSource, In } from 'typeorm';
import { openShipTestDatabase, type ShipTestDatabase } from '../../testing/ship-test-database';
import { DocumentEntity } from '../../content/entities/document.entity';
import { OutboxChangeEntity } from '../../outbox/entities/outbox-change.entity';
import { changeOf, documentOf } from '../../testing/ship-row-fixtures';
import { insertRows } from './insert-rows';
import { selectRowsIn } from './select-rows';

/** selectRowsIn reads what `find` reads, on the ship's own schema, on both of its databases. */
describe.each(['sqlite', 'postgres'] as const)('selectRowsIn (%s)', (client) => {
  let database: ShipTestDatabase;
  let dataSource: DataSource;

  const documents = Array.from({ length: 12 }, (_, n) => documentOf(n));

  beforeAll(async () => {
    database = await openShipTestDatabase(client, 'ship_select_rows');
    dataSource = database.dataSource;
    await dataSource.runMigrations();
    await insertRows(dataSource.manager, DocumentEntity, documents, { rowsPerStatement: 5 });
    const changes = Array.from({ length: 10 }, (_, n) =>
      changeOf(n, n % 2 === 0 ? 'pending' : 'sent'),
    );
    await insertRows(dataSource.manager, OutboxChangeEntity, changes, { rowsPerStatement: 5 });
  });

  afterAll(() => database?.close());

  const byKey = (rows: DocumentEntity[]): DocumentEntity[] =>
    [...rows].sort((a, b) => a.key.localeCompare(b.key));

  it('reads whole rows over several statements, values as find converts them', async () => {
    const keys = [...documents.map((d) => d.key), 'item:missing:'];
    const rows = await selectRowsIn(dataSource.manager, DocumentEntity, 'key', keys, {
      valuesPerStatement: 5,
    });
    const found = await dataSource.manager.find(DocumentEntity, { where: { key: In(keys) } });
    expect(byKey(rows)).toEqual(byKey(found));
    expect(byKey(rows)).toEqual(documents);
    expect(rows.every((row) => row instanceof DocumentEntity)).toBe(true);
    expect(typeof rows[0].deleted).toBe('boolean');
    expect(typeof rows[0].version).toBe('number');
  });

  it('pads a short list to a cached size and still returns each row once', async () => {
    const query = jest.spyOn(dataSource.manager, 'query');
    const keys = documents.slice(0, 3).map((d) => d.key);
    const rows = await selectRowsIn(dataSource.manager, DocumentEntity, 'key', keys, {
      valuesPerStatement: 10,
    });
    expect(query.mock.calls[0][1]).toEqual([...keys, keys[2]]);
    query.mockRestore();
    expect(byKey(rows)).toEqual(documents.slice(0, 3));
  });

  it('reads only the selected columns', async () => {
    const rows = await selectRowsIn(dataSource.manager, DocumentEntity, 'key', [documents[3].key], {
      select: ['key', 'version', 'conflictId'],
      valuesPerStatement: 10,
    });
    expect(rows).toHaveLength(1);
    expect({ ...rows[0] }).toMatchObject({
      key: documents[3].key,
      version: 3,
      conflictId: 'conflict-3',
    });
    expect(rows[0].data).toBeUndefined();
  });

  it('applies the further conditions and the order', async () => {
    const keys = [documentOf(0).key, documentOf(1).key, documentOf(2).key];
    const rows = await selectRowsIn(dataSource.manager, OutboxChangeEntity, 'docKey', keys, {
      where: { status: ['pending'] },
      orderBy: 'id',
      valuesPerStatement: 10,
    });
    const found = await dataSource.manager.find(OutboxChangeEntity, {
      where: { docKey: In(keys), status: 'pending' },
      order: { id: 'ASC' },
    });
    expect(rows).toEqual(found);
    expect(rows.map((row) => row.baseVersion)).toEqual([0, 2, 4, 6, 8]);
    expect(rows.every((row) => row.seq === null && typeof row.id === 'number')).toBe(true);
  });

  it('reads nothing for no values, and refuses a bad chunk size or an unknown column', async () => {
    await expect(
      selectRowsIn(dataSource.manager, DocumentEntity, 'key', [], { valuesPerStatement: 5 }),
    ).resolves.toEqual([]);
    await expect(
      selectRowsIn(dataSource.manager, DocumentEntity, 'key', ['a'], { valuesPerStatement: 0 }),
    ).rejects.toThrow('valuesPerStatement must be a positive integer');
    await expect(
      selectRowsIn(dataSource.manager, DocumentEntity, 'nope' as 'key', ['a'], {
        valuesPerStatement: 5,
      }),
    ).rejects.toThrow('has no column nope');
  });
});
