import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the guarantees over a ship's life need (docs/protocol.md, "Guarantees"): envelopes are
 * deduplicated per sender; the newest accepted change per ship and document is found by index;
 * a conflict remembers the master version it was opened at, so master updates can name the
 * conflicts open at their version; the registry keeps each ship's heartbeat sequence and its
 * changes sent without an outcome.
 */
export class ShipLifeGuarantees1733000000000 implements MigrationInterface {
  name = 'ShipLifeGuarantees1733000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE processed_envelopes DROP CONSTRAINT processed_envelopes_pkey`,
    );
    await queryRunner.query(`ALTER TABLE processed_envelopes ADD PRIMARY KEY (sender, message_id)`);
    await queryRunner.query(
      `CREATE INDEX change_outcomes_document ON change_outcomes (ship_id, type, document_id, locale, seq)`,
    );
    await queryRunner.query(`ALTER TABLE conflicts ADD COLUMN opened_version integer`);
    await queryRunner.query(`UPDATE conflicts SET opened_version = master_version`);
    await queryRunner.query(`ALTER TABLE conflicts ALTER COLUMN opened_version SET NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX conflicts_document ON conflicts (type, document_id, locale)`,
    );
    await queryRunner.query(`ALTER TABLE ships ADD COLUMN heartbeat_seq bigint`);
    await queryRunner.query(
      `ALTER TABLE ships ADD COLUMN awaiting_outcome integer NOT NULL DEFAULT 0`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ships DROP COLUMN awaiting_outcome`);
    await queryRunner.query(`ALTER TABLE ships DROP COLUMN heartbeat_seq`);
    await queryRunner.query(`DROP INDEX conflicts_document`);
    await queryRunner.query(`ALTER TABLE conflicts DROP COLUMN opened_version`);
    await queryRunner.query(`DROP INDEX change_outcomes_document`);
    await queryRunner.query(
      `ALTER TABLE processed_envelopes DROP CONSTRAINT processed_envelopes_pkey`,
    );
    await queryRunner.query(`ALTER TABLE processed_envelopes ADD PRIMARY KEY (message_id)`);
  }
}
