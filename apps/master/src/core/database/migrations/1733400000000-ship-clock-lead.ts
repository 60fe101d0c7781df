import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far each ship's clock ran ahead of the master's by its heartbeats: the largest lead of the
 * heartbeats since `clock_lead_since` (a window of ten minutes), which bounds an ahead clock's
 * edit times when an envelope's own readings are cut short by a send that waited out an outage.
 */
export class ShipClockLead1733400000000 implements MigrationInterface {
  name = 'ShipClockLead1733400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ships ADD COLUMN clock_lead_ms bigint, ADD COLUMN clock_lead_since timestamptz`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ships DROP COLUMN clock_lead_since, DROP COLUMN clock_lead_ms`,
    );
  }
}
