import {
  CONTENT_TYPE_PATTERN,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  TIMESTAMP_PATTERN,
  UUID_PATTERN,
  UUID_V7_PATTERN,
} from './wire-patterns.constants';

/*
 * Wire field rules as plain predicates, for code that checks one value outside a contract (the
 * wire contract schemas use the same patterns, and isWireTimestamp as their date-time format).
 */

export function isWireUuid(value: unknown): boolean {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

export function isWireUuidV7(value: unknown): boolean {
  return typeof value === 'string' && UUID_V7_PATTERN.test(value);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function twoDigitsAt(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);
}

/**
 * ISO-8601 date-time with a zone, e.g. 2024-01-15T10:30:00.000Z, on a real calendar date from the
 * year 1000 on. Once TIMESTAMP_PATTERN has fixed the layout, what is left are field ranges, read
 * at fixed offsets. Earlier years are refused: validator.js's isISO8601, the rule before, read
 * them through the process's local time zone, so its verdict on them changed from host to host.
 */
export function isWireTimestamp(value: unknown): boolean {
  if (typeof value !== 'string' || !TIMESTAMP_PATTERN.test(value)) {
    return false;
  }
  const year = twoDigitsAt(value, 0) * 100 + twoDigitsAt(value, 2);
  const month = twoDigitsAt(value, 5);
  const day = twoDigitsAt(value, 8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth) {
    return false;
  }
  if (twoDigitsAt(value, 11) > 23 || twoDigitsAt(value, 14) > 59 || twoDigitsAt(value, 17) > 59) {
    return false;
  }
  // 'Z' or ±hh:mm
  const end = value.length;
  return (
    value.endsWith('Z') || (twoDigitsAt(value, end - 5) <= 23 && twoDigitsAt(value, end - 2) <= 59)
  );
}

export function isContentTypeName(value: unknown): boolean {
  return typeof value === 'string' && CONTENT_TYPE_PATTERN.test(value);
}

/** '' or a locale tag such as 'en' or 'pt-BR'. */
export function isLocale(value: unknown): boolean {
  return (
    typeof value === 'string' && value.length <= LOCALE_MAX_LENGTH && LOCALE_PATTERN.test(value)
  );
}
