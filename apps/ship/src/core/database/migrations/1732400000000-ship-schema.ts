import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';

/*
 * Built with TypeORM's Table API and only portable column types (varchar, text, integer, boolean),
 * so this one migration creates the same schema on SQLite and on PostgreSQL. Times are ISO-8601
 * strings; JSON is text.
 */

const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const text = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});
const integer = (name: string, nullable = false, defaultValue?: number): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: nullable,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
});
const serialId: TableColumnOptions = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
};
const time = (name: string, nullable = false): TableColumnOptions => varchar(name, 32, nullable);

export class ShipSchema1732400000000 implements MigrationInterface {
  name = 'ShipSchema1732400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'documents',
        columns: [
          { ...varchar('doc_key', 200), isPrimary: true },
          varchar('type', 64),
          varchar('document_id', 36),
          varchar('locale', 35),
          text('data'),
          integer('version'),
          { name: 'deleted', type: 'boolean', isNullable: false },
          varchar('sync_state', 16),
          varchar('conflict_id', 128, true),
          integer('conflict_version', true),
          time('conflict_at', true),
          text('reason', true),
          integer('held_version', true),
          text('held_update', true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'documents_type_locale',
            columnNames: ['type', 'locale', 'deleted', 'document_id'],
          }),
          new TableIndex({ name: 'documents_sync_state', columnNames: ['sync_state'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sync_queue',
        columns: [
          serialId,
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
          integer('seq', true),
          varchar('message_id', 36, true),
          integer('attempts', false, 0),
          text('last_error', true),
          integer('outcome_version', true),
          varchar('conflict_id', 128, true),
          text('reason', true),
          time('created_at'),
          time('updated_at'),
          time('sent_at', true),
          time('settled_at', true),
        ],
        indices: [
          new TableIndex({ name: 'sync_queue_status', columnNames: ['status', 'id'] }),
          new TableIndex({ name: 'sync_queue_document', columnNames: ['doc_key', 'status'] }),
          new TableIndex({ name: 'sync_queue_message', columnNames: ['message_id'] }),
          new TableIndex({
            name: 'sync_queue_change',
            columnNames: ['change_id'],
            isUnique: true,
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sync_envelopes',
        columns: [
          { ...varchar('message_id', 36), isPrimary: true },
          integer('first_seq'),
          integer('last_seq'),
          integer('change_count'),
          text('body'),
          varchar('status', 16),
          integer('attempts', false, 0),
          text('last_error', true),
          time('created_at'),
          time('sent_at', true),
        ],
        indices: [
          new TableIndex({ name: 'sync_envelopes_status', columnNames: ['status', 'first_seq'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sync_meta',
        columns: [{ ...varchar('name', 64), isPrimary: true }, text('value')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'inbox_positions',
        columns: [
          { ...varchar('topic', 249), isPrimary: true },
          { ...integer('partition'), isPrimary: true },
          varchar('next_offset', 20),
          time('updated_at'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'dead_letters',
        columns: [
          serialId,
          varchar('topic', 249),
          integer('partition'),
          varchar('message_offset', 20),
          text('message_key', true),
          text('value'),
          varchar('value_encoding', 8),
          text('headers'),
          varchar('reason', 64),
          text('detail'),
          varchar('sender', 64, true),
          varchar('message_id', 64, true),
          time('created_at'),
        ],
        indices: [new TableIndex({ name: 'dead_letters_created', columnNames: ['created_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'dead_letters',
      'inbox_positions',
      'sync_meta',
      'sync_envelopes',
      'sync_queue',
      'documents',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
