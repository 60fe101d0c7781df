import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A resolved conflict's losing side, put back by an operator as a new version: who, when, which. */
export class ConflictRestorations1733200000000 implements MigrationInterface {
  name = 'ConflictRestorations1733200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE conflict_restorations (
        id bigserial PRIMARY KEY,
        conflict_id uuid NOT NULL REFERENCES conflicts (id) ON DELETE CASCADE,
        side text NOT NULL CHECK (side IN ('ship', 'master')),
        version integer NOT NULL,
        restored_by text NOT NULL,
        restored_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX conflict_restorations_conflict ON conflict_restorations (conflict_id, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE conflict_restorations`);
  }
}
