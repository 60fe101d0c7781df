import { errorMessage } from '../errors/error-message';

/**
 * Field names that stay on the node where they were written whatever the content type declares
 * (`SYNC_LOCAL_ONLY_PATTERN`): the last word of the name is password, secret, token or API key,
 * case-insensitive (`password`, `adminPassword`, `clientSecret`, `access_token`, `apiKey`), while
 * `secretary` or `tokenizer` are not.
 */
export const DEFAULT_LOCAL_ONLY_PATTERN = '(password|passwd|secret|token|api[-_]?key)s?$';

/** Parses `SYNC_LOCAL_ONLY_PATTERN`: a JavaScript regular expression, case-insensitive; '' for none. */
export function parseLocalOnlyPattern(value: string): RegExp | null {
  if (value.trim() === '') return null;
  try {
    return new RegExp(value, 'i');
  } catch (error) {
    throw new Error(`not a regular expression (${errorMessage(error)})`, { cause: error });
  }
}

/**
 * Which top-level fields of a document are local-only: stored and served on the node that wrote
 * them, never put on the wire (ship changes, master updates), never taken from it, and left out
 * of the content checksum, so that nodes still converge while those fields differ between them.
 * Every node must be given the same declarations and pattern, like SYNC_CONTENT_TYPES.
 */
export class LocalOnlyFields {
  constructor(
    private readonly declared: ReadonlyMap<string, ReadonlySet<string>>,
    private readonly pattern: RegExp | null,
  ) {}

  static none(): LocalOnlyFields {
    return new LocalOnlyFields(new Map(), null);
  }

  isLocalOnly(type: string, field: string): boolean {
    return this.declared.get(type)?.has(field) === true || (this.pattern?.test(field) ?? false);
  }

  /** Whether `data` holds a local-only field. */
  holdsAny(type: string, data: Readonly<Record<string, unknown>>): boolean {
    for (const field of Object.keys(data)) if (this.isLocalOnly(type, field)) return true;
    return false;
  }

  /** `data` without its local-only fields: `data` itself when it holds none. */
  strip<T extends Readonly<Record<string, unknown>>>(type: string, data: T): T {
    if (!this.holdsAny(type, data)) return data;
    const kept: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(data)) {
      if (!this.isLocalOnly(type, field)) kept[field] = value;
    }
    return kept as T;
  }

  /**
   * A copy that came over the wire (local-only fields already absent) with this node's own
   * local-only fields put back, so that applying it does not erase them.
   */
  keepLocal(
    type: string,
    incoming: Readonly<Record<string, unknown>>,
    local: Readonly<Record<string, unknown>> | null,
  ): Record<string, unknown> {
    const received = this.strip(type, incoming);
    if (!local || !this.holdsAny(type, local)) return received;
    const merged: Record<string, unknown> = { ...received };
    for (const [field, value] of Object.entries(local)) {
      if (this.isLocalOnly(type, field)) merged[field] = value;
    }
    return merged;
  }
}
