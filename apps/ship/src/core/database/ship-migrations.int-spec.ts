import { ShipConnection } from './ship-connection';
import { migrateShipDatabase, pendingShipMigrations } from './ship-migrations';
import {
  openShipTestDatabase,
  rawQuery,
  type ShipTestDatabase,
} from '../../testing/ship-test-database';
import { shipRows } from '../../testing/ship-rows';
import { documentOf } from '../../testing/ship-row-fixtures';

/**
 * The schema as an earlier build left it (TypeORM's migration 1732400000000, before the re-ask
 * column), with its own record of migrations: what a ship updated in place starts from.
 */
function earlierSchema(client: 'sqlite' | 'postgres'): string[] {
  const id =
    client === 'postgres'
      ? '"id" SERIAL PRIMARY KEY'
      : '"id" integer PRIMARY KEY AUTOINCREMENT NOT NULL';
  return [
    `CREATE TABLE "schema_migrations" (${id}, "timestamp" bigint NOT NULL, "name" varchar NOT NULL)`,
    `CREATE TABLE "documents" ("doc_key" varchar(200) PRIMARY KEY NOT NULL, "type" varchar(64) NOT NULL, "document_id" varchar(36) NOT NULL, "locale" varchar(35) NOT NULL, "data" text NOT NULL, "version" integer NOT NULL, "deleted" boolean NOT NULL, "sync_state" varchar(16) NOT NULL, "conflict_id" varchar(128), "conflict_version" integer, "conflict_at" varchar(32), "reason" text, "held_version" integer, "held_update" text, "created_at" varchar(32) NOT NULL, "updated_at" varchar(32) NOT NULL)`,
    `CREATE INDEX "documents_type_locale" ON "documents" ("type", "locale", "deleted", "document_id")`,
    `CREATE INDEX "documents_sync_state" ON "documents" ("sync_state")`,
    `CREATE TABLE "sync_queue" (${id}, "change_id" varchar(36) NOT NULL, "doc_key" varchar(200) NOT NULL, "type" varchar(64) NOT NULL, "document_id" varchar(36) NOT NULL, "locale" varchar(35) NOT NULL, "op" varchar(8) NOT NULL, "base_version" integer NOT NULL, "fields" text NOT NULL, "edited_at" varchar(32) NOT NULL, "status" varchar(16) NOT NULL, "seq" integer, "message_id" varchar(36), "attempts" integer NOT NULL DEFAULT 0, "last_error" text, "outcome_version" integer, "conflict_id" varchar(128), "reason" text, "created_at" varchar(32) NOT NULL, "updated_at" varchar(32) NOT NULL, "sent_at" varchar(32), "settled_at" varchar(32))`,
    `CREATE INDEX "sync_queue_status" ON "sync_queue" ("status", "id")`,
    `CREATE INDEX "sync_queue_document" ON "sync_queue" ("doc_key", "status")`,
    `CREATE INDEX "sync_queue_message" ON "sync_queue" ("message_id")`,
    `CREATE UNIQUE INDEX "sync_queue_change" ON "sync_queue" ("change_id")`,
    `CREATE TABLE "sync_envelopes" ("message_id" varchar(36) PRIMARY KEY NOT NULL, "first_seq" integer NOT NULL, "last_seq" integer NOT NULL, "change_count" integer NOT NULL, "body" text NOT NULL, "status" varchar(16) NOT NULL, "attempts" integer NOT NULL DEFAULT 0, "last_error" text, "created_at" varchar(32) NOT NULL, "sent_at" varchar(32))`,
    `CREATE INDEX "sync_envelopes_status" ON "sync_envelopes" ("status", "first_seq")`,
    `CREATE TABLE "sync_meta" ("name" varchar(64) PRIMARY KEY NOT NULL, "value" text NOT NULL)`,
    `CREATE TABLE "inbox_positions" ("topic" varchar(249) NOT NULL, "partition" integer NOT NULL, "next_offset" varchar(20) NOT NULL, "updated_at" varchar(32) NOT NULL, PRIMARY KEY ("topic", "partition"))`,
    `CREATE TABLE "dead_letters" (${id}, "topic" varchar(249) NOT NULL, "partition" integer NOT NULL, "message_offset" varchar(20) NOT NULL, "message_key" text, "value" text NOT NULL, "value_encoding" varchar(8) NOT NULL, "headers" text NOT NULL, "reason" varchar(64) NOT NULL, "detail" text NOT NULL, "sender" varchar(64), "message_id" varchar(64), "created_at" varchar(32) NOT NULL)`,
    `CREATE INDEX "dead_letters_created" ON "dead_letters" ("created_at")`,
    `INSERT INTO "schema_migrations" ("timestamp", "name") VALUES (1732400000000, 'ShipSchema1732400000000')`,
  ];
}

/**
 * A ship updated in place keeps its database: the migrations adopt what an earlier build created
 * (recorded by it, not here), add only what is missing, and keep every row.
 */
describe.each(['sqlite', 'postgres'] as const)(
  'ship migrations on an earlier database (%s)',
  (client) => {
    let database: ShipTestDatabase;
    let connection: ShipConnection;

    beforeAll(async () => {
      // A fresh database of the test's own, migrated by the current build, is dropped and the
      // earlier build's schema laid in its place.
      database = await openShipTestDatabase(client, 'ship_migrations');
      connection = database.connection;
      for (const table of [
        'ship_migrations',
        'ship_migrations_lock',
        'dead_letters',
        'inbox_positions',
        'sync_meta',
        'sync_envelopes',
        'sync_queue',
        'documents',
      ]) {
        await connection.db.schema.dropTable(table).execute();
      }
      for (const statement of earlierSchema(client)) await rawQuery(connection.db, statement);
      await rawQuery(
        connection.db,
        `INSERT INTO "sync_queue" ("change_id", "doc_key", "type", "document_id", "locale", "op", "base_version", "fields", "edited_at", "status", "created_at", "updated_at")
       VALUES ('c-1', '${documentOf(1).key}', 'item', '${documentOf(1).documentId}', '', 'update', 1, '{}', 't', 'sent', 't', 't')`,
      );
      await shipRows.insertDocuments(connection.db, [documentOf(1)]);
    });

    afterAll(() => database?.close());

    it('adds only what is missing and keeps every row, then has nothing pending', async () => {
      expect(await pendingShipMigrations(connection)).toEqual([
        '1732400000000-ship-schema',
        '1733000000000-outcome-reasks',
      ]);
      await migrateShipDatabase(connection);
      expect(await pendingShipMigrations(connection)).toEqual([]);
      expect(await shipRows.documents(connection.db)).toEqual([documentOf(1)]);
      expect(
        (await shipRows.changes(connection.db)).map((c) => [c.id, c.changeId, c.reasked]),
      ).toEqual([[1, 'c-1', 0]]);
      // The new column works as the new build writes it; a second start migrates nothing.
      await connection.db.updateTable('sync_queue').set({ reasked: 2 }).execute();
      await migrateShipDatabase(connection);
      expect((await shipRows.changes(connection.db)).map((c) => c.reasked)).toEqual([2]);
    });
  },
);
