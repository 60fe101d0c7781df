import { EnvInt, EnvLowerCase, SyncEnv } from '@offline-sync/sync-core';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';
import { DEFAULT_SQLITE_CACHE_KIB } from '../database/ship-connection';

/** Environment of a ship edge. Everything the seed names keeps its name. */
export class ShipEnv extends SyncEnv {
  @Matches(/^[a-z0-9][a-z0-9-_.]{0,63}$/, {
    message: 'must be lower-case letters, digits, "-", "_" or "." (at most 64)',
  })
  @IsString({ message: 'is required: the unique id of this ship, e.g. ship-atlantic-001' })
  SYNC_SHIP_ID!: string;

  /** The master's Ed25519 public key (base64 SPKI): only what it signed is applied here. */
  @IsString({ message: "is required: the master's base64 SPKI Ed25519 public key" })
  SYNC_MASTER_PUBLIC_KEY!: string;

  @EnvLowerCase()
  @IsIn(['sqlite', 'postgres'], { message: 'must be sqlite or postgres' })
  DATABASE_CLIENT: 'sqlite' | 'postgres' = 'sqlite';

  @ValidateIf((env: ShipEnv) => env.DATABASE_CLIENT === 'sqlite')
  @IsString()
  DATABASE_FILENAME = 'data/ship.db';

  /**
   * SQLite's page cache for the app's connection (KiB). better-sqlite3 builds SQLite with 16 MiB;
   * the file's pages stay in the OS page cache anyway, and a ship runs on small hardware.
   */
  @EnvInt()
  @Min(256)
  @Max(1_048_576)
  @IsInt({ message: 'must be an integer (KiB)' })
  DATABASE_CACHE_SIZE_KIB = DEFAULT_SQLITE_CACHE_KIB;

  @ValidateIf((env: ShipEnv) => env.DATABASE_CLIENT === 'postgres')
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  @IsString({ message: 'is required when DATABASE_CLIENT=postgres' })
  DATABASE_URL?: string;

  /**
   * How long one Kafka request may take (a satellite link needs room). With
   * KAFKA_CONNECTION_TIMEOUT it bounds one send: past both, the send counts as failed.
   */
  @EnvInt()
  @Min(100)
  @Max(600_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  KAFKA_REQUEST_TIMEOUT = 30_000;

  /**
   * How long a change the broker has may wait for its outcome, counted while the link is up,
   * before the ship asks again (it re-sends the change in a new envelope; the master answers with
   * what it recorded, or decides it now if it never got it). Outcomes dropped on the way or
   * expired from the broker while the ship was dark are recovered this way.
   */
  @EnvInt()
  @Min(1000)
  @Max(86_400_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_OUTCOME_TIMEOUT = 300_000;

  /**
   * Longest a SIGTERM may take (HTTP drained, the batch in hand finished, connections closed);
   * past it the process exits with status 1. Keep it under the orchestrator's grace period.
   */
  @EnvInt()
  @Min(1000)
  @Max(600_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SHUTDOWN_TIMEOUT = 25_000;

  /**
   * Test-only: shifts the ship's clock for edit times and envelope timestamps (ShipClock) by this
   * many milliseconds, up to a year either way, to give a ship a wrong clock.
   */
  @EnvInt()
  @Min(-31_536_000_000)
  @Max(31_536_000_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_TEST_CLOCK_OFFSET_MS = 0;

  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  /**
   * A defect built in on purpose, for the fault-injection suite's self-check (its checker must
   * catch it): `ack-before-commit` answers crew writes before their transaction commits. Refused
   * unless NODE_ENV=test, so no deployment can switch it on.
   */
  @ValidateIf((env: ShipEnv) => env.SYNC_CHAOS_DEFECT !== '')
  @IsIn(['ack-before-commit'], { message: "must be '' or ack-before-commit" })
  @ValidateBy({
    name: 'onlyWhenTesting',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) =>
        (args?.object as ShipEnv | undefined)?.NODE_ENV === 'test',
      defaultMessage: () =>
        'is a defect for the fault-injection self-check, refused unless NODE_ENV=test',
    },
  })
  SYNC_CHAOS_DEFECT: '' | 'ack-before-commit' = '';
}
