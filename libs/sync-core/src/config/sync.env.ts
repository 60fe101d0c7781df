import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { parseApiKeys } from '../auth/api-keys.parser';
import { readApiKeyFile } from '../auth/api-key-store';
import { loadPrivateKey } from '../envelope/signing-keys';
import { parseContentTypes } from '../content-types/content-type.parser';
import {
  DEFAULT_LOCAL_ONLY_PATTERN,
  parseLocalOnlyPattern,
} from '../content-types/local-only-fields';
import { EnvInt, EnvLowerCase } from './env-transforms';
import { IsParsable } from './is-parsable.validator';
import { KafkaEnv } from './kafka.env';

/** Days of settled history kept: longer than the longest supported offline period. */
export const DEFAULT_RETENTION_DAYS = 90;

/** Settings both apps share: the seed's SYNC_* variables, HTTP and logging. */
export class SyncEnv extends KafkaEnv {
  @EnvInt()
  @Min(1)
  @Max(10_000)
  @IsInt({ message: 'must be an integer' })
  SYNC_BATCH_SIZE = 100;

  @EnvInt()
  @Min(0)
  @Max(100)
  @IsInt({ message: 'must be an integer' })
  SYNC_RETRY_ATTEMPTS = 3;

  @EnvInt()
  @Min(10)
  @Max(3_600_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_RETRY_DELAY = 5000;

  @EnvInt()
  @Min(100)
  @Max(3_600_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_CONNECTIVITY_CHECK_INTERVAL = 30_000;

  @EnvInt()
  @Min(0)
  @Max(3_600_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_DEBOUNCE_MS = 1000;

  @EnvInt()
  @Min(100)
  @Max(3_600_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_HEARTBEAT_INTERVAL = 60_000;

  /**
   * Settled sync history older than this many days is purged (docs/protocol.md, "Retention"):
   * keep it above the longest time a ship may stay offline.
   */
  @EnvInt()
  @Min(1)
  @Max(3650)
  @IsInt({ message: 'must be an integer (days)' })
  SYNC_RETENTION_DAYS = DEFAULT_RETENTION_DAYS;

  /** How often the purge of settled history runs. */
  @EnvInt()
  @Min(1000)
  @Max(86_400_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_RETENTION_INTERVAL = 600_000;

  @IsParsable(parseContentTypes)
  SYNC_CONTENT_TYPES = '';

  /**
   * Field names that stay on the node that wrote them, for every content type (a case-insensitive
   * regular expression; '' for none). The same on every node, like SYNC_CONTENT_TYPES.
   */
  @IsParsable(parseLocalOnlyPattern)
  @IsString()
  SYNC_LOCAL_ONLY_PATTERN = DEFAULT_LOCAL_ONLY_PATTERN;

  @IsParsable(loadPrivateKey)
  @IsString({
    message: 'is required: the base64 PKCS#8 Ed25519 private key of this node (npm run keygen)',
  })
  SYNC_SIGNING_PRIVATE_KEY!: string;

  /**
   * `name:role:secret,...` with roles viewer, crew, operator, admin; a secret may be given as
   * `sha256:<hex>` (see docs/configuration.md, "API keys").
   */
  @IsParsable((value) => parseApiKeys(value))
  SYNC_API_KEYS = '';

  /** A file of more keys (same syntax, one a line), re-read when it changes: revocation. */
  @IsParsable((path) => (path === '' ? [] : readApiKeyFile(path)))
  @IsString()
  SYNC_API_KEYS_FILE = '';

  @EnvInt()
  @Min(100)
  @Max(3_600_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_API_KEYS_FILE_POLL_MS = 2000;

  /** Wrong API keys one client address may present per window before it gets 429. */
  @EnvInt()
  @Min(1)
  @Max(1_000_000)
  @IsInt({ message: 'must be an integer' })
  SYNC_AUTH_FAILURE_LIMIT = 10;

  @EnvInt()
  @Min(1000)
  @Max(86_400_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_AUTH_FAILURE_WINDOW_MS = 60_000;

  /** How long an address over the limit is refused. */
  @EnvInt()
  @Min(1000)
  @Max(86_400_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  SYNC_AUTH_BLOCK_MS = 300_000;

  @EnvInt()
  @Min(0)
  @Max(65_535)
  @IsInt({ message: 'must be a TCP port number' })
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @EnvLowerCase()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], {
    message: 'must be one of fatal, error, warn, info, debug, trace',
  })
  LOG_LEVEL = 'info';
}
