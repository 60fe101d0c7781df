import { DocumentData } from './diff-fields';
import { jsonEqual } from './json-equal';

export type FieldMergeResult = { merged: DocumentData } | { overlapping: string[] };

/**
 * Field-level three-way merge of a ship's changed fields into the master's current data, given the
 * fields others changed since the ship's base. The ship's fields win where nobody else touched
 * them; a field both sides changed is overlapping, unless the ship set the value the master already
 * holds (both made the same edit). `overlapping` is sorted.
 */
export function mergeFields(
  current: DocumentData,
  shipFields: DocumentData,
  foreignChangedFields: Iterable<string>,
): FieldMergeResult {
  const foreign = new Set(foreignChangedFields);
  const overlapping = Object.keys(shipFields)
    .filter((field) => foreign.has(field) && !jsonEqual(shipFields[field], current[field]))
    .sort();
  return overlapping.length > 0 ? { overlapping } : { merged: { ...current, ...shipFields } };
}
