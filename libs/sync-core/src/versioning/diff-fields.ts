import { jsonEqual } from './json-equal';

export type DocumentData = Record<string, unknown>;

/** One top-level field whose value differs; a side lacking the field holds `undefined`. */
export interface FieldDifference {
  field: string;
  left: unknown;
  right: unknown;
}

function unionOfKeys(a: DocumentData, b: DocumentData): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

/** Top-level fields whose values differ (deep JSON equality), sorted by field name. */
export function diffFields(left: DocumentData, right: DocumentData): FieldDifference[] {
  return unionOfKeys(left, right)
    .filter((field) => !jsonEqual(left[field], right[field]))
    .map((field) => ({ field, left: left[field], right: right[field] }));
}

/** Names of the fields an edit changed, added or removed: what a revision records. */
export function changedFieldNames(before: DocumentData, after: DocumentData): string[] {
  return diffFields(before, after).map((difference) => difference.field);
}
