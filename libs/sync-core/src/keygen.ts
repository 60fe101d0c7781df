import { isSenderId, MASTER_SENDER } from './contracts/wire-patterns.constants';
import {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
} from './envelope/signing-keys';
import { errorMessage } from './errors/error-message';

/**
 * Provisioning of signing keys. Each node (the master, every ship) signs with its own Ed25519
 * private key; the other side holds the public key. Run:
 *   node dist/libs/sync-core/keygen.js <ship-id | master>
 * stdout carries only the env lines, so it can be redirected into a secret store; the explanation
 * goes to stderr.
 */

export interface ProvisioningKeys {
  nodeId: string;
  /** Base64 PKCS#8 DER; stays on the node. */
  privateKey: string;
  /** Base64 SPKI DER; given to the other side. */
  publicKey: string;
  /** For the node itself. */
  privateKeyLine: string;
  /** For the other side: a `SYNC_SHIP_PUBLIC_KEYS` entry, or the ships' `SYNC_MASTER_PUBLIC_KEY`. */
  publicKeyLine: string;
}

export function generateProvisioningKeys(nodeId: string): ProvisioningKeys {
  if (!isSenderId(nodeId)) {
    throw new RangeError(
      `'${nodeId}' is not 'master' or a ship id (lower-case letter or digit, then up to 63 of a-z, 0-9, '.', '_', '-')`,
    );
  }
  const pair = generateSigningKeyPair();
  const privateKey = exportPrivateKeyBase64(pair.privateKey);
  const publicKey = exportPublicKeyBase64(pair.publicKey);
  return {
    nodeId,
    privateKey,
    publicKey,
    privateKeyLine: `SYNC_SIGNING_PRIVATE_KEY=${privateKey}`,
    publicKeyLine:
      nodeId === MASTER_SENDER ? `SYNC_MASTER_PUBLIC_KEY=${publicKey}` : `${nodeId}=${publicKey}`,
  };
}

function explanation(keys: ProvisioningKeys): string {
  const where =
    keys.nodeId === MASTER_SENDER
      ? 'Line 2 goes to every ship (SYNC_MASTER_PUBLIC_KEY).'
      : `Line 2 goes to the master: append it to SYNC_SHIP_PUBLIC_KEYS (comma-separated entries).`;
  return [
    `Ed25519 signing keys for '${keys.nodeId}'.`,
    `Line 1 goes to '${keys.nodeId}' only (a secret: whoever holds it can sign as '${keys.nodeId}').`,
    where,
    'To rotate, list the old and the new public key for the same sender until every message signed with the old key is consumed.',
    '',
  ].join('\n');
}

export interface KeygenIo {
  out(text: string): void;
  err(text: string): void;
}

/** The CLI: returns the exit code. */
export function runKeygen(args: readonly string[], io: KeygenIo): number {
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
    io.err('usage: keygen <ship-id | master>\n');
    return args.length === 1 ? 0 : 2;
  }
  let keys: ProvisioningKeys;
  try {
    keys = generateProvisioningKeys(args[0]);
  } catch (error) {
    io.err(`keygen: ${errorMessage(error)}\n`);
    return 2;
  }
  io.out(`${keys.privateKeyLine}\n${keys.publicKeyLine}\n`);
  io.err(explanation(keys));
  return 0;
}

if (require.main === module) {
  process.exitCode = runKeygen(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
