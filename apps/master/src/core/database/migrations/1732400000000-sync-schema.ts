import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents, their edit log, conflicts, per-ship idempotency (high-water marks and recorded
 * outcomes), the master outbox and the ship registry.
 */
export class SyncSchema1732400000000 implements MigrationInterface {
  name = 'SyncSchema1732400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE documents (
        type text NOT NULL,
        id uuid NOT NULL,
        locale text NOT NULL DEFAULT '',
        version integer NOT NULL CHECK (version >= 1),
        deleted boolean NOT NULL DEFAULT false,
        data jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        PRIMARY KEY (type, id, locale)
      )`);
    await queryRunner.query(
      `CREATE INDEX documents_type_locale_live ON documents (type, locale, id) WHERE NOT deleted`,
    );
    await queryRunner.query(`
      CREATE TABLE revisions (
        type text NOT NULL,
        document_id uuid NOT NULL,
        locale text NOT NULL,
        version integer NOT NULL,
        author text NOT NULL,
        changed_fields text[] NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        data jsonb NOT NULL,
        change_id uuid,
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (type, document_id, locale, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE conflicts (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        document_id uuid NOT NULL,
        locale text NOT NULL,
        ship_id text NOT NULL,
        change_id uuid NOT NULL,
        seq bigint NOT NULL,
        conflict_type text NOT NULL,
        rule text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        base_version integer NOT NULL,
        base_data jsonb,
        ship_fields jsonb NOT NULL,
        ship_data jsonb NOT NULL,
        ship_deleted boolean NOT NULL,
        master_version integer NOT NULL,
        master_data jsonb NOT NULL,
        master_deleted boolean NOT NULL,
        foreign_authors text[] NOT NULL DEFAULT '{}',
        resolution text CHECK (resolution IN ('keep-ship', 'keep-master', 'merge')),
        resolved_data jsonb,
        resolved_version integer,
        resolved_by text,
        resolved_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // No duplicate open conflict for one document/locale/ship: a later change updates it.
    await queryRunner.query(
      `CREATE UNIQUE INDEX conflicts_one_open ON conflicts (type, document_id, locale, ship_id) WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX conflicts_status_created ON conflicts (status, created_at DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE ship_sequences (
        ship_id text PRIMARY KEY,
        high_water bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE change_outcomes (
        ship_id text NOT NULL,
        change_id uuid NOT NULL,
        seq bigint NOT NULL,
        type text NOT NULL,
        document_id uuid NOT NULL,
        locale text NOT NULL,
        status text NOT NULL CHECK (status IN ('applied', 'conflict', 'rejected')),
        version integer,
        conflict_id uuid,
        reason text,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ship_id, change_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX change_outcomes_conflict ON change_outcomes (conflict_id) WHERE conflict_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('master-update', 'change-outcomes')),
        message_id uuid NOT NULL,
        topic text NOT NULL,
        key text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending'`);
    await queryRunner.query(`
      CREATE TABLE ships (
        id text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('online', 'offline')),
        app_version text NOT NULL,
        queue_depth integer NOT NULL DEFAULT 0,
        failed_count integer NOT NULL DEFAULT 0,
        oldest_pending_age_ms bigint,
        applied_position jsonb NOT NULL DEFAULT '{}'::jsonb,
        last_heartbeat_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        status_changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`ALTER TABLE dead_letters ADD COLUMN last_attempt_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dead_letters DROP COLUMN last_attempt_at`);
    for (const table of [
      'ships',
      'outbox',
      'change_outcomes',
      'ship_sequences',
      'conflicts',
      'revisions',
      'documents',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
