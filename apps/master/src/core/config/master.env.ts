import { EnvBool, EnvInt, IsParsable, MAX_DOCUMENT_BYTES, SyncEnv } from '@offline-sync/sync-core';
import { IsBoolean, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { parseShipPublicKeys, readShipPublicKeysFile } from './ship-public-keys.parser';

/** Environment of the master hub. Everything the seed names keeps its name. */
export class MasterEnv extends SyncEnv {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  @IsString({ message: 'is required: postgres://user:password@host:port/database' })
  DATABASE_URL!: string;

  @EnvInt()
  @Min(2)
  @Max(200)
  @IsInt({ message: 'must be an integer' })
  DATABASE_POOL_MAX = 10;

  /** `ship-id=<base64 SPKI Ed25519 public key>,...`: the ships this master accepts messages from. */
  @IsParsable(parseShipPublicKeys)
  SYNC_SHIP_PUBLIC_KEYS = '';

  /**
   * Path of a file with ships' public keys, in either format of SYNC_SHIP_PUBLIC_KEYS (one entry a
   * line, `#` comments): a fleet's keys do not fit an environment variable (Linux refuses one over
   * 128 KiB, about 1,600 ships). Its ships are accepted along with SYNC_SHIP_PUBLIC_KEYS's.
   */
  @IsParsable(readShipPublicKeysFile)
  SYNC_SHIP_PUBLIC_KEYS_FILE = '';

  /**
   * Ships named in the per-ship metrics: the ones silent longest, with the most changes waiting
   * on board and the most master updates not applied, this many of each. The fleet as a whole is
   * in aggregate metrics and every ship in the ships API, so a scrape stays the same size for
   * any fleet.
   */
  @EnvInt()
  @Min(0)
  @Max(500)
  @IsInt({ message: 'must be an integer' })
  SYNC_METRICS_TOP_SHIPS = 20;

  /** A ship with no heartbeat for this long is shown offline. */
  @EnvInt()
  @Min(1000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_SHIP_OFFLINE_AFTER = 120_000;

  /**
   * Sign master updates and outcomes in batches (one signature per up to 128 messages, each
   * carrying its Merkle proof: envelope schema version 2). Set false while ships of a release
   * that reads only schema version 1 remain in the fleet.
   */
  @EnvBool()
  @IsBoolean({ message: 'must be true or false' })
  SYNC_BATCH_SIGNING = true;

  /**
   * How far ahead of the master's clock a ship's clock may run before its edit times are moved
   * back (docs/protocol.md, "Guarantees"); no edit time is ever placed later than its
   * arrival plus this much.
   */
  @EnvInt()
  @Min(0)
  @Max(3_600_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_CLOCK_TOLERANCE = 30_000;

  /**
   * Name the signing key in every envelope (`keyId`), so that a ship without that key holds the
   * message instead of finding a bad signature. Set false while ships of a release that refuses
   * an envelope with a keyId remain in the fleet.
   */
  @EnvBool()
  @IsBoolean({ message: 'must be true or false' })
  SYNC_ENVELOPE_KEY_IDS = true;

  /** Where the built operator console is (served at /console when it holds an index.html). */
  @IsString()
  CONSOLE_DIR = 'dist/console';

  /** How often the outbox relay looks for rows written by other replicas (its own wake it at once). */
  @EnvInt()
  @Min(10)
  @Max(600_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_OUTBOX_POLL_INTERVAL = 1000;

  /**
   * How long the consumer group waits for a silent replica before giving its partitions to the
   * others (a replica killed without leaving holds them this long).
   */
  @EnvInt()
  @Min(6000)
  @Max(300_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  KAFKA_SESSION_TIMEOUT = 30_000;

  /**
   * Longest a SIGTERM may take (HTTP closed, the batch in hand committed, the outbox flushed,
   * connections closed); past it the process exits with status 1. Keep it under the pod's
   * terminationGracePeriodSeconds.
   */
  @EnvInt()
  @Min(1000)
  @Max(600_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SHUTDOWN_TIMEOUT = 25_000;

  /**
   * Bytes of messages (signed envelopes with their keys) the outbox relay puts in one produce
   * request. kafkajs sends a topic partition's messages of one request as one record batch, which
   * the broker refuses whole when it is over `message.max.bytes` (1 MiB by default, per topic
   * `max.message.bytes`): keep this below it. A message over it alone is parked as a dead letter.
   */
  @EnvInt()
  @Min(2 * MAX_DOCUMENT_BYTES, {
    message: `must be at least ${2 * MAX_DOCUMENT_BYTES} bytes: a master update of a document at the ${MAX_DOCUMENT_BYTES}-byte limit must fit one request`,
  })
  @Max(64 * 1024 * 1024, { message: 'must be at most 67108864 bytes' })
  @IsInt({ message: 'must be an integer (bytes)' })
  KAFKA_MAX_REQUEST_BYTES = 900 * 1024;

  /** Partitions of ship-updates created on first start (per-ship order needs only the key). */
  @EnvInt()
  @Min(1)
  @Max(1000)
  @IsInt({ message: 'must be an integer' })
  KAFKA_SHIP_UPDATES_PARTITIONS = 6;
}
