import { parseKeyRingEntries } from '@offline-sync/sync-core';
import { readFileSync, statSync } from 'node:fs';

export type ShipKeyEntries = ReturnType<typeof parseKeyRingEntries>;

/**
 * The last list parsed and the last file read: validating a setting and building the key ring
 * then parse a fleet's keys (thousands of them) once.
 */
let lastList: { text: string; entries: ShipKeyEntries } | null = null;
let lastFile: { path: string; mtimeMs: number; size: number; entries: ShipKeyEntries } | null =
  null;

/** Parses SYNC_SHIP_PUBLIC_KEYS; throws with a message naming the bad entry. */
export function parseShipPublicKeys(value: string): ShipKeyEntries {
  if (lastList?.text === value) return lastList.entries;
  const entries = parseKeyRingEntries(value);
  lastList = { text: value, entries };
  return entries;
}

/**
 * Reads SYNC_SHIP_PUBLIC_KEYS_FILE: what SYNC_SHIP_PUBLIC_KEYS takes (a JSON object of ship id →
 * key or list of keys, or `ship-id=<base64 SPKI>` entries, one a line), plus `#` comment lines.
 * An empty path is no file. Throws with a message naming the file and, for a bad entry, the entry.
 */
export function readShipPublicKeysFile(path: string): ShipKeyEntries {
  if (path === '') return [];
  let text: string;
  try {
    const { mtimeMs, size } = statSync(path);
    if (lastFile?.path === path && lastFile.mtimeMs === mtimeMs && lastFile.size === size) {
      return lastFile.entries;
    }
    text = readFileSync(path, 'utf8');
    const entries = parseKeyRingEntries(withoutComments(text), { source: path });
    if (entries.length === 0) throw new Error(`${path} holds no keys`);
    lastFile = { path, mtimeMs, size, entries };
    return entries;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code ? new Error(`cannot read ${path} (${code})`) : error;
  }
}

function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
}
