import { createHash } from 'node:crypto';
import { API_ROLES, isApiRole, type ApiRole } from './api-role';

export interface ApiKeyEntry {
  /** Who holds the key; recorded as the author of their edits (`master:<name>`). */
  name: string;
  role: ApiRole;
  /** SHA-256 of the secret: the secret itself is not kept in memory longer than needed. */
  digest: Buffer;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const MIN_API_KEY_LENGTH = 16;
/** A secret given as its digest: `sha256:` and 64 hex digits. */
const HASHED_SECRET = /^sha256:([0-9a-fA-F]{64})$/;
export const HASHED_SECRET_PREFIX = 'sha256:';

/**
 * Parses `SYNC_API_KEYS` (and the key file `SYNC_API_KEYS_FILE`): `name:role:secret` entries
 * separated by commas or new lines, e.g. `alice:operator:2f6c…,grafana:viewer:9a1b…`. A secret
 * is either the key itself (at least 16 characters) or its SHA-256 as `sha256:<64 hex>`, so a
 * configuration need not hold usable keys. Lines starting with `#` are comments.
 * `source` names where the text came from in error messages.
 */
export function parseApiKeys(value: string, source = ''): ApiKeyEntry[] {
  const prefix = source === '' ? '' : `${source}: `;
  const entries = value
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry, index) => {
      const [name, role, ...rest] = entry.split(':');
      const secret = rest.join(':');
      const where = `${prefix}entry ${index + 1}`;
      if (!name || !role || !secret) throw new Error(`${where} must be name:role:secret`);
      if (!NAME.test(name))
        throw new Error(`${where}: name "${name}" must be a-z, 0-9, ".", "_", "-"`);
      if (!isApiRole(role)) {
        throw new Error(`${where}: role must be one of ${API_ROLES.join(', ')} (got "${role}")`);
      }
      const hashed = HASHED_SECRET.exec(secret);
      if (hashed) return { name, role, digest: Buffer.from(hashed[1], 'hex') };
      if (secret.startsWith(HASHED_SECRET_PREFIX)) {
        throw new Error(`${where}: a hashed secret must be sha256: and 64 hex digits`);
      }
      if (secret.length < MIN_API_KEY_LENGTH) {
        throw new Error(`${where}: secret must have at least ${MIN_API_KEY_LENGTH} characters`);
      }
      return { name, role, digest: digestOf(secret) };
    });
  checkUniqueNames(entries);
  return entries;
}

/** Throws when two entries share a name: edits are recorded by name, so names must be unique. */
export function checkUniqueNames(entries: readonly ApiKeyEntry[]): void {
  const names = new Set<string>();
  for (const entry of entries) {
    if (names.has(entry.name)) throw new Error(`name "${entry.name}" is listed twice`);
    names.add(entry.name);
  }
}

export function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The `sha256:<hex>` form of a secret, for configurations that should not hold the key. */
export function hashedSecret(secret: string): string {
  return `${HASHED_SECRET_PREFIX}${digestOf(secret).toString('hex')}`;
}
