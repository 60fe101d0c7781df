import { Database, OPEN_READONLY } from 'sqlite3';

/**
 * A read-only view of a ship's SQLite file (WAL lets it read while the ship writes): for
 * observing, at a high rate, which documents a ship has applied without loading its API.
 */
export class ShipDbReader {
  private constructor(private readonly db: Database) {}

  static open(file: string): Promise<ShipDbReader> {
    return new Promise((resolve, reject) => {
      const db = new Database(file, OPEN_READONLY, (error) =>
        error ? reject(error) : resolve(new ShipDbReader(db)),
      );
    });
  }

  /** Which of `ids` the ship holds. */
  present(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return Promise.resolve(new Set());
    return new Promise((resolve, reject) => {
      this.db.all<{ document_id: string }>(
        `SELECT document_id FROM documents WHERE document_id IN (${ids.map(() => '?').join(',')})`,
        ids,
        (error, rows) => (error ? reject(error) : resolve(new Set(rows.map((r) => r.document_id)))),
      );
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.db.close(() => resolve()));
  }
}
