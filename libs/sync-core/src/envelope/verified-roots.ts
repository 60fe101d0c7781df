/**
 * Batch roots whose signature a receiver has already checked: the up to 128 master updates of a
 * batch arrive together (or, for a new ship, from the compacted topic) and share one signature, so
 * it is checked once. Only successes are kept; an entry still being checked is shared by every
 * envelope of the batch that asks meanwhile. Bounded: the oldest entries leave first.
 */
export class VerifiedRoots {
  private readonly entries = new Map<string, true | Promise<boolean>>();

  constructor(private readonly limit = 4096) {}

  async verify(key: string, check: () => Promise<boolean>): Promise<boolean> {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const pending = check().then(
      (valid) => {
        if (valid) this.remember(key);
        else this.entries.delete(key);
        return valid;
      },
      (error: unknown) => {
        this.entries.delete(key);
        throw error;
      },
    );
    this.remember(key, pending);
    return pending;
  }

  verifySync(key: string, check: () => boolean): boolean {
    if (this.entries.get(key) === true) return true;
    const valid = check();
    if (valid) this.remember(key);
    return valid;
  }

  private remember(key: string, value: true | Promise<boolean> = true): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
