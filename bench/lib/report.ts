import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { MachineFacts } from './machine';
import { meets, type Row } from './scenario';

function formatValue(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'not reached';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return String(Math.round(value * 100) / 100);
}

/** The results as a Markdown table (also what the README shows). */
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
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const rows = content.rows.map((row) => ({ ...row, met: meets(row.value, row.target) }));
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), ...content, rows }, null, 2)}\n`,
  );
  return file;
}
