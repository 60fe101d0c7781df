/**
 * Exponential backoff with full jitter: attempt 1 waits up to `baseMs`, each further attempt
 * doubles that, capped at `maxMs`. Jitter keeps replicas from retrying in step.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
