import type { Kysely, Migration } from 'kysely';

/**
 * How often the ship has asked the master again for a change's outcome (its backoff). A database
 * an earlier build migrated may have the column already: it is then left as it is.
 */
export const outcomeReasksMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const tables = await db.introspection.getTables();
    const queue = tables.find((table) => table.name === 'sync_queue');
    if (queue?.columns.some((column) => column.name === 'reasked')) return;
    await db.schema
      .alterTable('sync_queue')
      .addColumn('reasked', 'integer', (column) => column.notNull().defaultTo(0))
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('sync_queue').dropColumn('reasked').execute();
  },
};
