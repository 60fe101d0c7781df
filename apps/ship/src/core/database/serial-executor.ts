/**
 * Runs async work one piece at a time, in call order. TypeORM's SQLite driver shares one
 * connection between all callers, so two overlapping transactions would silently interleave;
 * funnelling every database unit of work through one executor keeps them apart (on PostgreSQL too,
 * so both databases take the same path, and per-ship sequence numbers are assigned in order).
 */
export class SerialExecutor {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => work());
    this.tail = result.catch(() => undefined);
    return result;
  }
}
