import { parseKeyRingEntries } from '@offline-sync/sync-core';

/** Parses SYNC_SHIP_PUBLIC_KEYS; throws with a message naming the bad entry. */
export function parseShipPublicKeys(value: string): ReturnType<typeof parseKeyRingEntries> {
  return parseKeyRingEntries(value);
}
