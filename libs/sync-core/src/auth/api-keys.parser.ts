import { createHash } from 'node:crypto';
import { API_ROLES, type ApiRole } from './api-role';

export interface ApiKeyEntry {
  /** Who holds the key; recorded as the author of their edits (`master:<name>`). */
  name: string;
  role: ApiRole;
  /** SHA-256 of the secret: the secret itself is not kept in memory longer than needed. */
  digest: Buffer;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const MIN_API_KEY_LENGTH = 16;

/**
 * Parses `SYNC_API_KEYS`: comma-separated `name:role:secret` entries, e.g.
 * `alice:operator:2f6c…,grafana:viewer:9a1b…`. Secrets need at least 16 characters.
 */
export function parseApiKeys(value: string): ApiKeyEntry[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry, index) => {
      const [name, role, ...rest] = entry.split(':');
      const secret = rest.join(':');
      const where = `entry ${index + 1}`;
      if (!name || !role || !secret) throw new Error(`${where} must be name:role:secret`);
      if (!NAME.test(name))
        throw new Error(`${where}: name "${name}" must be a-z, 0-9, ".", "_", "-"`);
      if (!(API_ROLES as readonly string[]).includes(role)) {
        throw new Error(`${where}: role must be one of ${API_ROLES.join(', ')} (got "${role}")`);
      }
      if (secret.length < MIN_API_KEY_LENGTH) {
        throw new Error(`${where}: secret must have at least ${MIN_API_KEY_LENGTH} characters`);
      }
      return { name, role: role as ApiRole, digest: digestOf(secret) };
    });
  const names = new Set<string>();
  for (const entry of entries) {
    if (names.has(entry.name)) throw new Error(`name "${entry.name}" is listed twice`);
    names.add(entry.name);
  }
  return entries;
}

export function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
