/**
 * What must be stopped if the run is interrupted (Ctrl-C): brokers, databases and processes a
 * scenario started. Each registers a stop function and removes it once it stopped normally.
 */
const pending = new Set<() => Promise<unknown>>();

export function onInterrupt(stop: () => Promise<unknown>): () => void {
  pending.add(stop);
  return () => pending.delete(stop);
}

export async function stopEverything(): Promise<void> {
  const stops = [...pending];
  pending.clear();
  await Promise.allSettled(stops.map((stop) => stop()));
}
