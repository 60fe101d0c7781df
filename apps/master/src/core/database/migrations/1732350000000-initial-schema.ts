import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1732350000000 implements MigrationInterface {
  name = 'InitialSchema1732350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dead_letters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        topic text NOT NULL,
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        key text,
        value text NOT NULL,
        value_encoding text NOT NULL CHECK (value_encoding IN ('utf8', 'base64')),
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        reason text NOT NULL,
        detail text NOT NULL,
        sender text,
        message_id text,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'retrying', 'exhausted', 'resolved')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX dead_letters_source ON dead_letters (topic, partition, "offset")`,
    );
    await queryRunner.query(
      `CREATE INDEX dead_letters_status_next_attempt ON dead_letters (status, next_attempt_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE processed_envelopes (
        message_id uuid PRIMARY KEY,
        sender text NOT NULL,
        kind text NOT NULL,
        change_count integer NOT NULL,
        sent_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX processed_envelopes_sender_received ON processed_envelopes (sender, received_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE processed_envelopes`);
    await queryRunner.query(`DROP TABLE dead_letters`);
  }
}
