import type { Sizes } from './sizes';

/** One line of the results table: a figure, its unit, and the target it is read against. */
export interface Row {
  scenario: string;
  metric: string;
  value: number | null;
  unit: string;
  /** e.g. "≥ 5000" or "< 60"; compared with `value` for the "met" column. */
  target?: string;
  note?: string;
}

export interface MemoryPeak {
  node: string;
  role: 'master' | 'ship' | 'peer';
  peakMb: number;
}

export interface ScenarioResult {
  rows: Row[];
  memory?: MemoryPeak[];
  details?: Record<string, unknown>;
}

export interface BenchContext {
  sizes: Sizes;
  /** Results of the scenarios that ran before in this run, by name. */
  results: Record<string, ScenarioResult>;
}

export interface Scenario {
  name: string;
  title: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}

/** Whether `value` meets a target written as "≥ n", "> n", "≤ n" or "< n". */
export function meets(value: number | null, target: string | undefined): boolean | null {
  if (target === undefined) return null;
  if (value === null || Number.isNaN(value)) return false;
  const match = /^(≥|>|≤|<)\s*([\d.]+)/.exec(target.replace(/,/g, ''));
  if (!match) return null;
  const bound = Number(match[2]);
  switch (match[1]) {
    case '≥':
      return value >= bound;
    case '>':
      return value > bound;
    case '≤':
      return value <= bound;
    default:
      return value < bound;
  }
}
