/**
 * Times are stored as ISO-8601 UTC strings: the same column type on SQLite and PostgreSQL, and
 * they sort as text in time order.
 */
export function isoNow(): string {
  return new Date().toISOString();
}
