import Database from 'better-sqlite3';

/**
 * A read-only view of a ship's SQLite file (WAL lets it read while the ship writes): for
 * observing, at a high rate, which documents a ship has applied without loading its API.
 */
export class ShipDbReader {
  private constructor(private readonly db: Database.Database) {}

  static open(file: string): Promise<ShipDbReader> {
    return Promise.resolve(new ShipDbReader(new Database(file, { readonly: true })));
  }

  /** Which of `ids` the ship holds. */
  present(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return Promise.resolve(new Set());
    const rows = this.db
      .prepare<unknown[], { document_id: string }>(
        `SELECT document_id FROM documents WHERE document_id IN (${ids.map(() => '?').join(',')})`,
      )
      .all(...ids);
    return Promise.resolve(new Set(rows.map((r) => r.document_id)));
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
