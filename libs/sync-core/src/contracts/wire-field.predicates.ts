import { isISO8601 } from 'class-validator';
import {
  CONTENT_TYPE_PATTERN,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  TIMESTAMP_PATTERN,
  UUID_PATTERN,
  UUID_V7_PATTERN,
} from './wire-patterns.constants';

/*
 * The rules behind the wire field decorators, as plain predicates. The decorators and the fast
 * contract checks both call these, so the two cannot drift apart on what a valid field is
 * (isWireTimestampQuick, the one rule written twice, is tested against isWireTimestamp).
 */

/** A safe integer within [min, max]. */
export function isWireInt(
  value: unknown,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

export function isOneOf(value: unknown, values: readonly string[]): boolean {
  return typeof value === 'string' && values.includes(value);
}

export function isWireUuid(value: unknown): boolean {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

export function isWireUuidV7(value: unknown): boolean {
  return typeof value === 'string' && UUID_V7_PATTERN.test(value);
}

/** ISO-8601 date-time with a zone, e.g. 2024-01-15T10:30:00.000Z. */
export function isWireTimestamp(value: unknown): boolean {
  return (
    typeof value === 'string' && TIMESTAMP_PATTERN.test(value) && isISO8601(value, { strict: true })
  );
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function twoDigitsAt(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);
}

/**
 * isWireTimestamp without validator.js's isISO8601, which costs more than all of a ship change's
 * other checks together: once TIMESTAMP_PATTERN has fixed the layout, what isISO8601 still checks
 * (strict: a real calendar date) comes down to field ranges, read here at fixed offsets. For the
 * fast contract checks; the decorator keeps isISO8601, and the spec compares the two exhaustively.
 */
export function isWireTimestampQuick(value: unknown): boolean {
  if (typeof value !== 'string' || !TIMESTAMP_PATTERN.test(value)) {
    return false;
  }
  const year = twoDigitsAt(value, 0) * 100 + twoDigitsAt(value, 2);
  const month = twoDigitsAt(value, 5);
  const day = twoDigitsAt(value, 8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  // isISO8601 rebuilds the date from the year as a number: before 1000, no longer an ISO date.
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
