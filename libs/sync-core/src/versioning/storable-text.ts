import type { FieldError } from '../nest/validation-errors';

/**
 * An unescaped `\u0000` or `\uD800`–`\uDFFF` escape in JSON.stringify output: JSON.stringify
 * writes surrogate pairs as they are and escapes only lone surrogates, so such an escape in its
 * output means a NUL character or a lone surrogate in the data.
 */
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

/** Why a string cannot be stored everywhere (PostgreSQL's text and jsonb refuse both), or null. */
function unstorableReason(text: string): string | null {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0) return 'must not contain a NUL character (\\u0000)';
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      return 'must not contain a lone surrogate (unpaired UTF-16 half)';
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      return 'must not contain a lone surrogate (unpaired UTF-16 half)';
    }
  }
  return null;
}

function pathOf(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}[${key}]` : `${parent}.${key}`;
}

/**
 * The first key or string value of `data` that no node can store (a NUL character or a lone
 * surrogate: SQLite keeps them, PostgreSQL refuses them), named by its path, or null. Iterative,
 * so a deeply nested document cannot overflow the stack. With the data's JSON text, documents
 * that hold no such character are cleared without walking them.
 */
export function findUnstorableText(data: unknown, root = 'data', json?: string): FieldError | null {
  if (json !== undefined && !UNSTORABLE_ESCAPE.test(json)) return null;
  const stack: Array<{ value: unknown; path: string }> = [{ value: data, path: root }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value === 'string') {
      const reason = unstorableReason(value);
      if (reason) return { field: path, reason };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) {
        stack.push({ value: value[i], path: pathOf(path, i) });
      }
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, child] = entries[i];
        const keyReason = unstorableReason(key);
        if (keyReason)
          return { field: pathOf(path, JSON.stringify(key)), reason: `key ${keyReason}` };
        stack.push({ value: child, path: pathOf(path, key) });
      }
    }
  }
  return null;
}

/** Whether JSON text may hold a NUL character or a lone surrogate (false: it certainly holds none). */
export function mayHoldUnstorableText(json: string): boolean {
  return UNSTORABLE_ESCAPE.test(json);
}
