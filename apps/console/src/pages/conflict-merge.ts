import type { Conflict } from '../api/api-types';

export type FieldChoice = { side: 'ship' | 'master' } | { side: 'edit'; text: string };

export interface FieldRow {
  field: string;
  base: unknown;
  ship: unknown;
  master: unknown;
  /** Ship and master hold different values for it. */
  differs: boolean;
  /** The ship's change set it. */
  shipChanged: boolean;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every field of base, ship and master, in a stable order, with what differs. */
export function fieldRows(conflict: Conflict): FieldRow[] {
  const base = conflict.base ?? {};
  const ship = conflict.ship.data;
  const master = conflict.master.data;
  const fields = [...new Set([...Object.keys(master), ...Object.keys(ship), ...Object.keys(base)])];
  return fields.sort().map((field) => ({
    field,
    base: base[field],
    ship: ship[field],
    master: master[field],
    differs: !same(ship[field], master[field]),
    shipChanged: conflict.ship.changedFields.includes(field),
  }));
}

/** The starting choice per field: the ship's value where its change set the field. */
export function initialChoices(rows: FieldRow[]): Record<string, FieldChoice> {
  return Object.fromEntries(
    rows.map((row) => [row.field, { side: row.shipChanged ? 'ship' : 'master' }]),
  );
}

/** The text an edit of a value starts from: strings as they are, anything else as JSON. */
export function editText(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

/** An edited value: JSON when it reads as JSON, otherwise the text itself. */
export function parseEdit(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The merged document the choices make; a field whose chosen value is absent is left out. */
export function mergedDocument(
  rows: FieldRow[],
  choices: Record<string, FieldChoice>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const row of rows) {
    const choice = choices[row.field] ?? { side: 'master' };
    const value =
      choice.side === 'edit'
        ? parseEdit(choice.text)
        : choice.side === 'ship'
          ? row.ship
          : row.master;
    if (value !== undefined) merged[row.field] = value;
  }
  return merged;
}
