import { randomBytes } from 'node:crypto';
import { API_ROLES, isApiRole } from './auth/api-role';
import { hashedSecret, parseApiKeys } from './auth/api-keys.parser';
import { errorMessage } from './errors/error-message';

/**
 * Issues an API key: `npm run api-key -- <name> <role>`. stdout carries two lines: the key for
 * its holder (`name:role:secret`: the secret is what they send as X-API-Key), then the entry for
 * the apps' configuration with the secret hashed (`name:role:sha256:<hex>`), for SYNC_API_KEYS or
 * the key file SYNC_API_KEYS_FILE. The explanation goes to stderr.
 */
export interface IssuedApiKey {
  secret: string;
  /** The holder's line: `name:role:secret`. */
  keyLine: string;
  /** The configuration's line: `name:role:sha256:<hex>`. */
  hashedLine: string;
}

export function issueApiKey(name: string, role: string): IssuedApiKey {
  if (!isApiRole(role)) throw new RangeError(`role must be one of ${API_ROLES.join(', ')}`);
  // 32 random bytes, base64url: 43 characters, no separators the key syntax uses.
  const secret = randomBytes(32).toString('base64url');
  const keyLine = `${name}:${role}:${secret}`;
  const hashedLine = `${name}:${role}:${hashedSecret(secret)}`;
  parseApiKeys(hashedLine); // checks the name with the same rule as the apps
  return { secret, keyLine, hashedLine };
}

export interface ApiKeygenIo {
  out(text: string): void;
  err(text: string): void;
}

/** The CLI: returns the exit code. */
export function runApiKeygen(args: readonly string[], io: ApiKeygenIo): number {
  if (args.length !== 2) {
    io.err(`usage: api-key <name> <${API_ROLES.join(' | ')}>\n`);
    return 2;
  }
  let issued: IssuedApiKey;
  try {
    issued = issueApiKey(args[0], args[1]);
  } catch (error) {
    io.err(`api-key: ${errorMessage(error)}\n`);
    return 2;
  }
  io.out(`${issued.keyLine}\n${issued.hashedLine}\n`);
  io.err(
    [
      `Line 1 is the key: give its secret (after "${args[0]}:${args[1]}:") to its holder only.`,
      'Line 2 goes to the apps: a line of SYNC_API_KEYS_FILE (re-read on change) or an entry of SYNC_API_KEYS.',
      'To revoke the key, delete its line from the key file.',
      '',
    ].join('\n'),
  );
  return 0;
}

if (require.main === module) {
  process.exitCode = runApiKeygen(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
