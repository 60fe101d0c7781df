import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox rows can be `parked`: a message the relay can never send (over the request limit), kept
 * with its reason and a dead letter instead of holding up every row behind it.
 */
export class OutboxParked1732480000000 implements MigrationInterface {
  name = 'OutboxParked1732480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`);
    await queryRunner.query(
      `ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
         CHECK (status IN ('pending', 'sent', 'parked'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Parked rows go back to pending: the relay of the release before this one retries them.
    await queryRunner.query(`UPDATE outbox SET status = 'pending' WHERE status = 'parked'`);
    await queryRunner.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`);
    await queryRunner.query(
      `ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sent'))`,
    );
  }
}
