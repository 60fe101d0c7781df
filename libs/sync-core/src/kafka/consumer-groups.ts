/** The master replicas' consumer group (ship-updates and heartbeats), shared by every replica. */
export function masterConsumerGroupId(suffix = ''): string {
  return `offline-sync-master${suffix}`;
}

/** A ship's own consumer group (master-updates and its outcome topic): every ship reads them all. */
export function shipConsumerGroupId(shipId: string, suffix = ''): string {
  return `offline-sync-ship-${shipId}${suffix}`;
}
