import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { MachineFacts } from './machine';
import { meets, type Row } from './scenario';

function formatValue(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'not reached';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return String(Math.round(value * 100) / 100);
}

/** The results as a Markdown table (also what bench/README.md shows). */
export function table(rows: Row[]): string {
  const lines = [
    '| # | scenario | figure | value | target | met | note |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const met = meets(row.value, row.target);
    lines.push(
      `| ${row.scenario.split(' ')[0]} | ${row.scenario.split(' ').slice(1).join(' ')} | ${row.metric} | ${formatValue(row.value)} ${row.unit} | ${row.target ?? ''} | ${met === null ? '' : met ? 'yes' : '**no**'} | ${row.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Writes `content` (with the time it was written) as `<dir>/<prefix>-<time>.json`, the form of
 * every file in bench/results; returns its path.
 */
export function writeResultFile(dir: string, prefix: string, content: object): string {
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  const file = path.join(dir, `${prefix}-${at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ at, ...content }, null, 2)}\n`);
  return file;
}

export function writeResults(
  dir: string,
  content: {
    machine: MachineFacts;
    args: unknown;
    rows: Row[];
    scenarios: unknown;
    durationS: number;
  },
): string {
  const rows = content.rows.map((row) => ({ ...row, met: meets(row.value, row.target) }));
  return writeResultFile(dir, 'bench', { ...content, rows });
}
