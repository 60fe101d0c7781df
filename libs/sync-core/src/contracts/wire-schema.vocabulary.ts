import { findReservedKey, isFreeOfReservedKeys } from './reserved-key-scan.util';

/*
 * What the wire contract schemas say beyond standard JSON Schema (draft-07), in one place: the
 * compiler registers it, the error formatter words its refusals.
 */

/**
 * Annotation: the reason a refused field reads, written to follow "<path>: ". A `{name}` in it
 * stands for the value of the sibling property `name` (e.g. 'must not be empty for {op}').
 * Every failure inside an annotated schema is reported at that schema's field with its message,
 * unless a schema nearer the failure carries its own.
 */
export const MESSAGE_KEYWORD = 'wireMessage';

/** The `format` of wire timestamps: isWireTimestamp. */
export const WIRE_DATE_TIME_FORMAT = 'wire-date-time';

/** A rule JSON Schema cannot state, as a keyword whose schema value is `true`. */
export interface WireKeyword {
  keyword: string;
  /** The JSON type it applies to; values of other types pass (another keyword refuses them). */
  type: 'object' | 'array';
  isValid: (data: unknown) => boolean;
  /** Why `data` breaks the rule, worded to follow "<path>: ". */
  message: (data: unknown) => string;
}

function seqOf(item: unknown): unknown {
  return typeof item === 'object' && item !== null ? (item as { seq?: unknown }).seq : undefined;
}

/** First index whose seq does not exceed the previous one, or -1. */
export function firstOutOfOrder(items: readonly unknown[]): number {
  for (let i = 1; i < items.length; i += 1) {
    const previous = seqOf(items[i - 1]);
    const current = seqOf(items[i]);
    if (typeof previous === 'number' && typeof current === 'number' && current <= previous) {
      return i;
    }
  }
  return -1;
}

export const WIRE_KEYWORDS: readonly WireKeyword[] = [
  {
    // Free-form document data: no key anywhere inside may reach a prototype.
    keyword: 'noReservedKeys',
    type: 'object',
    isValid: isFreeOfReservedKeys,
    message: (data) => `must not contain the reserved key at '${findReservedKey(data).slice(1)}'`,
  },
  {
    // A batch in the order its items were made: numeric `seq` strictly increasing.
    keyword: 'increasingSeq',
    type: 'array',
    isValid: (data) => firstOutOfOrder(data as unknown[]) === -1,
    message: (data) => {
      const items = data as unknown[];
      const i = firstOutOfOrder(items);
      return `seq must increase strictly within a batch ([${i}].seq ${String(seqOf(items[i]))} follows [${i - 1}].seq ${String(seqOf(items[i - 1]))})`;
    },
  },
];
