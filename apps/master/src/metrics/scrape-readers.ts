/**
 * Gauges whose value lives in the database are read when Prometheus scrapes, so every replica
 * reports the same truth. The metric objects are process-wide (prom-client's default registry),
 * while the reader belongs to one app: the app registers its reader here and the gauge's `collect`
 * asks whichever app registered last (tests may run several masters in one process).
 */
type Reader = () => Promise<void>;

const readers = new WeakMap<object, Reader[]>();

/** Registers `read` to refresh `metric` at scrape time; the returned function unregisters it. */
export function readAtScrape(metric: object, read: Reader): () => void {
  const list = readers.get(metric) ?? [];
  list.push(read);
  readers.set(metric, list);
  return () => {
    const index = list.indexOf(read);
    if (index >= 0) list.splice(index, 1);
  };
}

/** The `collect` of a scrape-time gauge: runs the newest registered reader, if any. */
export function collectAtScrape(metric: object): Promise<void> {
  return readers.get(metric)?.at(-1)?.() ?? Promise.resolve();
}

/**
 * One database round trip per scrape for several gauges: callers within `ttlMs` of each other
 * share the same result (a scrape collects all gauges concurrently).
 */
export function sharedSnapshot<T>(load: () => Promise<T>, ttlMs = 500): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | null = null;
  return () => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.value;
    const value = load();
    cached = { at: Date.now(), value };
    value.catch(() => {
      cached = null;
    });
    return value;
  };
}
