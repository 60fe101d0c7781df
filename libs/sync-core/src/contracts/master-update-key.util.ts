import {
  CONTENT_TYPE_PATTERN,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  UUID_PATTERN,
} from './wire-patterns.constants';

/** The parts of a document key; locale is '' for unlocalised types. */
export interface DocumentKey {
  type: string;
  documentId: string;
  locale: string;
}

/*
 * `type/documentId/locale`. None of the parts can contain '/', so the key is unambiguous; the
 * trailing '/' of an unlocalised document keeps it distinct from every localised one.
 */
const SEPARATOR = '/';

/** Kafka key of a document's messages on the compacted master-updates topic. */
export function masterUpdateKey(type: string, documentId: string, locale: string): string {
  if (!CONTENT_TYPE_PATTERN.test(type)) {
    throw new RangeError(`masterUpdateKey: invalid content type ${JSON.stringify(type)}`);
  }
  if (!UUID_PATTERN.test(documentId)) {
    throw new RangeError(`masterUpdateKey: invalid documentId ${JSON.stringify(documentId)}`);
  }
  if (locale.length > LOCALE_MAX_LENGTH || !LOCALE_PATTERN.test(locale)) {
    throw new RangeError(`masterUpdateKey: invalid locale ${JSON.stringify(locale)}`);
  }
  return [type, documentId, locale].join(SEPARATOR);
}

/** Inverse of masterUpdateKey; null when the key was not made by it. */
export function parseMasterUpdateKey(key: string): DocumentKey | null {
  const parts = key.split(SEPARATOR);
  if (parts.length !== 3) {
    return null;
  }
  const [type, documentId, locale] = parts;
  try {
    return masterUpdateKey(type, documentId, locale) === key ? { type, documentId, locale } : null;
  } catch {
    return null;
  }
}
