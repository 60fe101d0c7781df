import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The registry at fleet scale: the ships API lists a page of ships by status in id order from an
 * index. Every heartbeat rewrites its ship's row, so rows get room to be rewritten on their own
 * page (a HOT update: no index entry per heartbeat); no index covers the columns a heartbeat
 * changes. The ships list counts each ship's open conflicts from a partial index.
 */
export class FleetRegistry1733300000000 implements MigrationInterface {
  name = 'FleetRegistry1733300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ships_status ON ships (status, id)`);
    await queryRunner.query(`ALTER TABLE ships SET (fillfactor = 70)`);
    await queryRunner.query(
      `CREATE INDEX conflicts_open_ship ON conflicts (ship_id) WHERE status = 'open'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX conflicts_open_ship`);
    await queryRunner.query(`ALTER TABLE ships RESET (fillfactor)`);
    await queryRunner.query(`DROP INDEX ships_status`);
  }
}
