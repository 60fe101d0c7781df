import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely, Migration } from 'kysely';
import type { ShipDatabaseSettings } from '../../config/ship-config';

/*
 * Only portable column types (varchar, text, integer, boolean), so this one migration creates the
 * same schema on SQLite and on PostgreSQL. Times are ISO-8601 strings; JSON is text.
 *
 * Every table and index is created only where it does not exist yet: a ship whose database an
 * earlier build migrated (with TypeORM, recorded in `schema_migrations`) has them already, and
 * this migration then only records itself.
 */

type Table = CreateTableBuilder<string, never>;
type Column = (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

const notNull: Column = (column) => column.notNull();
const nullable: Column = (column) => column;

const varchar =
  (name: string, length: number, build: Column = notNull) =>
  (table: Table) =>
    table.addColumn(name, `varchar(${length})`, build);
const text =
  (name: string, build: Column = notNull) =>
  (table: Table) =>
    table.addColumn(name, 'text', build);
const integer =
  (name: string, build: Column = notNull) =>
  (table: Table) =>
    table.addColumn(name, 'integer', build);
const time = (name: string, build: Column = notNull) => varchar(name, 32, build);
const withDefault =
  (value: number): Column =>
  (column) =>
    column.notNull().defaultTo(value);
const primaryKey: Column = (column) => column.primaryKey().notNull();

/** A generated integer key: SQLite's AUTOINCREMENT, PostgreSQL's serial. */
type Client = ShipDatabaseSettings['client'];

const serialId = (client: Client) => (table: Table) =>
  client === 'postgres'
    ? table.addColumn('id', 'serial', primaryKey)
    : table.addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement().notNull());

async function createTable(
  db: Kysely<unknown>,
  name: string,
  columns: ((table: Table) => Table)[],
  primary?: string[],
): Promise<void> {
  let table: Table = db.schema.createTable(name).ifNotExists();
  for (const column of columns) table = column(table);
  if (primary) table = table.addPrimaryKeyConstraint(`${name}_pkey`, primary as never[]);
  await table.execute();
}

async function createIndex(
  db: Kysely<unknown>,
  name: string,
  table: string,
  columns: string[],
  unique = false,
): Promise<void> {
  let index = db.schema.createIndex(name).ifNotExists().on(table).columns(columns);
  if (unique) index = index.unique();
  await index.execute();
}

async function documents(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'documents', [
    varchar('doc_key', 200, primaryKey),
    varchar('type', 64),
    varchar('document_id', 36),
    varchar('locale', 35),
    text('data'),
    integer('version'),
    (table) => table.addColumn('deleted', 'boolean', notNull),
    varchar('sync_state', 16),
    varchar('conflict_id', 128, nullable),
    integer('conflict_version', nullable),
    time('conflict_at', nullable),
    text('reason', nullable),
    integer('held_version', nullable),
    text('held_update', nullable),
    time('created_at'),
    time('updated_at'),
  ]);
  await createIndex(db, 'documents_type_locale', 'documents', [
    'type',
    'locale',
    'deleted',
    'document_id',
  ]);
  await createIndex(db, 'documents_sync_state', 'documents', ['sync_state']);
}

async function syncQueue(db: Kysely<unknown>, client: Client): Promise<void> {
  await createTable(db, 'sync_queue', [
    serialId(client),
    varchar('change_id', 36),
    varchar('doc_key', 200),
    varchar('type', 64),
    varchar('document_id', 36),
    varchar('locale', 35),
    varchar('op', 8),
    integer('base_version'),
    text('fields'),
    time('edited_at'),
    varchar('status', 16),
    integer('seq', nullable),
    varchar('message_id', 36, nullable),
    integer('attempts', withDefault(0)),
    text('last_error', nullable),
    integer('outcome_version', nullable),
    varchar('conflict_id', 128, nullable),
    text('reason', nullable),
    time('created_at'),
    time('updated_at'),
    time('sent_at', nullable),
    time('settled_at', nullable),
  ]);
  await createIndex(db, 'sync_queue_status', 'sync_queue', ['status', 'id']);
  await createIndex(db, 'sync_queue_document', 'sync_queue', ['doc_key', 'status']);
  await createIndex(db, 'sync_queue_message', 'sync_queue', ['message_id']);
  await createIndex(db, 'sync_queue_change', 'sync_queue', ['change_id'], true);
}

async function syncEnvelopes(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'sync_envelopes', [
    varchar('message_id', 36, primaryKey),
    integer('first_seq'),
    integer('last_seq'),
    integer('change_count'),
    text('body'),
    varchar('status', 16),
    integer('attempts', withDefault(0)),
    text('last_error', nullable),
    time('created_at'),
    time('sent_at', nullable),
  ]);
  await createIndex(db, 'sync_envelopes_status', 'sync_envelopes', ['status', 'first_seq']);
}

async function syncMeta(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'sync_meta', [varchar('name', 64, primaryKey), text('value')]);
}

async function inboxPositions(db: Kysely<unknown>): Promise<void> {
  await createTable(
    db,
    'inbox_positions',
    [varchar('topic', 249), integer('partition'), varchar('next_offset', 20), time('updated_at')],
    ['topic', 'partition'],
  );
}

async function deadLetters(db: Kysely<unknown>, client: Client): Promise<void> {
  await createTable(db, 'dead_letters', [
    serialId(client),
    varchar('topic', 249),
    integer('partition'),
    varchar('message_offset', 20),
    text('message_key', nullable),
    text('value'),
    varchar('value_encoding', 8),
    text('headers'),
    varchar('reason', 64),
    text('detail'),
    varchar('sender', 64, nullable),
    varchar('message_id', 64, nullable),
    time('created_at'),
  ]);
  await createIndex(db, 'dead_letters_created', 'dead_letters', ['created_at']);
}

export function shipSchemaMigration(client: Client): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await documents(db);
      await syncQueue(db, client);
      await syncEnvelopes(db);
      await syncMeta(db);
      await inboxPositions(db);
      await deadLetters(db, client);
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'dead_letters',
        'inbox_positions',
        'sync_meta',
        'sync_envelopes',
        'sync_queue',
        'documents',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
