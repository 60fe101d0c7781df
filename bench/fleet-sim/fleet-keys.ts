import { exportPublicKeyBase64, generateSigningKeyPair } from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';

/** A simulated ship's identity: its id and its own Ed25519 key pair. */
export interface SimShipIdentity {
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** `<prefix>-00042`: ids sort in fleet order and fit the ship id pattern. */
export function simShipId(prefix: string, index: number, count: number): string {
  return `${prefix}-${String(index).padStart(Math.max(5, String(count - 1).length), '0')}`;
}

/** Keys for `count` ships (about 0.1 ms each). */
export function generateFleetIdentities(count: number, prefix = 'sim'): SimShipIdentity[] {
  return Array.from({ length: count }, (_, i) => {
    const { privateKey, publicKey } = generateSigningKeyPair();
    return { id: simShipId(prefix, i, count), privateKey, publicKey };
  });
}

/**
 * The master's ship key file (SYNC_SHIP_PUBLIC_KEYS_FILE) for these ships, as an operator keeps
 * it: one `ship-id=<base64 SPKI>` a line.
 */
export function shipKeyFileText(ships: readonly SimShipIdentity[]): string {
  const lines = ships.map((ship) => `${ship.id}=${exportPublicKeyBase64(ship.publicKey)}`);
  return `# ${ships.length} ships\n${lines.join('\n')}\n`;
}

export function writeShipKeyFile(path: string, ships: readonly SimShipIdentity[]): void {
  writeFileSync(path, shipKeyFileText(ships), { mode: 0o600 });
}
