/**
 * Reads one sample from Prometheus text exposition: `name` with exactly `labels` (in any order).
 * Returns null when the series is not exported.
 */
export function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | null {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      found[pair[1]] = pair[2];
    }
    const wanted = Object.entries(labels);
    if (
      wanted.length === Object.keys(found).length &&
      wanted.every(([key, value]) => found[key] === value)
    ) {
      return Number(match[3]);
    }
  }
  return null;
}
