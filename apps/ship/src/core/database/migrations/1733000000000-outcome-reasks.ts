import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** How often the ship has asked the master again for a change's outcome (its backoff). */
export class OutcomeReasks1733000000000 implements MigrationInterface {
  name = 'OutcomeReasks1733000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'sync_queue',
      new TableColumn({ name: 'reasked', type: 'integer', default: 0, isNullable: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('sync_queue', 'reasked');
  }
}
