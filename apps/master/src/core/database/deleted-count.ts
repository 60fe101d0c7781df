/** TypeORM answers a DELETE on PostgreSQL with [rows, count]. */
export function deletedCount(result: unknown): number {
  return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
}
