import { sql, type Compilable, type CompiledQuery } from 'kysely';
import type { ShipDb } from './ship-tables';

/**
 * A multi-row INSERT run again and again with rows of the same columns: Kysely compiles it once
 * per row count and dialect, and each chunk then runs that text with its own values bound, in
 * the columns' order. Compiling 100 outbox rows (22 columns) anew took ~1.3 ms, as long as SQLite
 * took to write them: half of a bulk crew write's CPU on the ship. Row counts are few
 * (statement-sizes), so are the texts kept.
 */
export class RepeatedInsert<Row extends object> {
  private readonly compiled = new Map<string, CompiledQuery>();

  constructor(
    /** Every column of a row, in the order the rows' objects list them. */
    private readonly columns: readonly (keyof Row & string)[],
    /** The statement for these rows, as Kysely builds it. */
    private readonly build: (db: ShipDb, rows: readonly Row[]) => Compilable,
  ) {}

  async run(db: ShipDb, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    const parameters: unknown[] = [];
    for (const row of rows) {
      for (const column of this.columns) {
        const value = row[column];
        // Kysely leaves an undefined column out of the row: the text would differ.
        if (value === undefined) throw new TypeError(`RepeatedInsert: no value for ${column}`);
        parameters.push(value);
      }
    }
    // The dialect's first placeholder (`?` or `$1`) tells the texts of SQLite and PostgreSQL apart.
    const key = `${sql`${0}`.compile(db).sql} ${rows.length}`;
    let query = this.compiled.get(key);
    if (query === undefined) {
      query = this.build(db, rows).compile();
      // The columns' order must be the one Kysely binds them in: checked on each new text.
      if (
        query.parameters.length !== parameters.length ||
        query.parameters.some((value, i) => value !== parameters[i])
      ) {
        throw new Error('RepeatedInsert: the columns differ from the statement Kysely built');
      }
      this.compiled.set(key, query);
    }
    await db.executeQuery({ ...query, parameters });
  }
}
