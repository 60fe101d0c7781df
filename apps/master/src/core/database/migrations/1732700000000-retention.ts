import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the purge of settled history needs (docs/protocol.md, "Retention"): an index on the time
 * each purged table is aged by, and per ship the highest seq whose outcome was purged, so a
 * change asked about again below it is answered as expired instead of decided anew.
 *
 * Plain CREATE INDEX in the migration's transaction: writes to these tables wait while it builds
 * (seconds on a large master). CONCURRENTLY would wait for every older snapshot in the database,
 * including a starting replica's statement waiting for the migration lock this one holds.
 */
export class Retention1732700000000 implements MigrationInterface {
  name = 'Retention1732700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ship_sequences ADD COLUMN IF NOT EXISTS outcomes_purged_through bigint NOT NULL DEFAULT 0`,
    );
    for (const statement of INDEXES) {
      await queryRunner.query(`CREATE INDEX IF NOT EXISTS ${statement}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of INDEXES) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${statement.split(' ')[0]}`);
    }
    await queryRunner.query(
      `ALTER TABLE ship_sequences DROP COLUMN IF EXISTS outcomes_purged_through`,
    );
  }
}

const INDEXES = [
  'processed_envelopes_received ON processed_envelopes (received_at)',
  'change_outcomes_recorded ON change_outcomes (recorded_at)',
  'revisions_recorded ON revisions (recorded_at)',
  "conflicts_resolved ON conflicts (resolved_at) WHERE status = 'resolved'",
  "dead_letters_resolved ON dead_letters (updated_at) WHERE status = 'resolved'",
];
