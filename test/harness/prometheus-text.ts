/**
 * Reads the Prometheus text exposition format (what /api/offline-sync/metrics serves) into
 * samples, so tests and benchmarks compare values instead of matching lines.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line.trim());
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key] = raw.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The samples of a scrape, looked up by name and (a subset of) labels. */
export class Scrape {
  readonly samples: Sample[];
  /** Metric names declared by `# TYPE` lines (a labelled gauge with no series has no samples). */
  readonly declared: Set<string>;

  constructor(text: string) {
    this.samples = parsePrometheusText(text);
    this.declared = new Set(
      [...text.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) /gm)].map((match) => match[1]),
    );
  }

  /** Every sample of `name` whose labels include `labels`. */
  all(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
  }

  /** The one sample of `name` with `labels`, or undefined when there is none. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    const found = this.all(name, labels);
    if (found.length > 1) {
      throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
    }
    return found[0]?.value;
  }

  /** The sample of `name` with exactly `labels` (no more, no fewer), or null when there is none. */
  exact(name: string, labels: Record<string, string> = {}): number | null {
    const wanted = Object.entries(labels);
    const found = this.samples.find(
      (s) =>
        s.name === name &&
        Object.keys(s.labels).length === wanted.length &&
        wanted.every(([k, v]) => s.labels[k] === v),
    );
    return found?.value ?? null;
  }

  /** Like value(), counting a series not exported yet as 0 (a counter never incremented). */
  count(name: string, labels: Record<string, string> = {}): number {
    return this.value(name, labels) ?? 0;
  }

  /** Every exported name: declared metrics and their series (histograms add _bucket/_sum/_count). */
  names(): Set<string> {
    return new Set([...this.declared, ...this.samples.map((s) => s.name)]);
  }
}
