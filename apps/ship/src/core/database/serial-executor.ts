/**
 * Runs async work one piece at a time, in call order. TypeORM's SQLite driver shares one
 * connection between all callers, so two overlapping transactions would silently interleave;
 * funnelling every database unit of work through one executor keeps them apart (on PostgreSQL too,
 * so both databases take the same path, and per-ship sequence numbers are assigned in order).
 *
 * SQLite statements run synchronously (better-sqlite3), so a unit of work holds the event loop
 * until it is done: before each one the loop gets a turn, and sockets (Kafka heartbeats, fetches,
 * the crew's API) and timers are served between units, however many are queued.
 */
export class SerialExecutor {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(nextTurn).then(() => work());
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
