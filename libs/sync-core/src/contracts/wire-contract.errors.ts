import type { ErrorObject } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { isPlainObject } from './plain-object.util';
import { MESSAGE_KEYWORD, WIRE_KEYWORDS, type WireKeyword } from './wire-schema.vocabulary';

/*
 * Ajv's failures of a wire contract as `root.path[3].field: reason` lines. Each failure is reported
 * at the nearest enclosing field whose schema carries a message (MESSAGE_KEYWORD), with that
 * message; unknown properties read 'is not allowed', missing ones their field's message, and the
 * rules of WIRE_KEYWORDS word their own refusals from the data.
 */

type Schema = Record<string, unknown>;

const KEYWORDS = new Map<string, WireKeyword>(WIRE_KEYWORDS.map((k) => [k.keyword, k]));

/** Subschema keywords named by the next segment (property name or index). */
const NAMED = new Set(['properties', 'patternProperties', 'allOf', 'anyOf', 'oneOf']);
/** Subschema keywords that are the subschema themselves. */
const DIRECT = new Set([
  'items',
  'additionalProperties',
  'if',
  'then',
  'else',
  'not',
  'propertyNames',
]);
/** Subschemas that apply to one value inside the instance: the path goes one level down. */
const DESCEND = new Set(['properties', 'patternProperties', 'items', 'additionalProperties']);

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function instanceSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.split('/').slice(1).map(unescapePointer);
}

function messageOf(schema: unknown): string | undefined {
  const text = isPlainObject(schema) ? schema[MESSAGE_KEYWORD] : undefined;
  return typeof text === 'string' ? text : undefined;
}

interface Annotated {
  /** Instance segments down to the annotated field. */
  depth: number;
  message: string | undefined;
  /** The schema holding the failing keyword. */
  node: Schema;
  /** That schema is a list's item schema, reached from the list. */
  isListItem: boolean;
}

/** Walks `schemaPath` from the root schema to the failing keyword, noting the last message. */
function annotatedAlong(root: Schema, schemaPath: string): Annotated {
  const segments = schemaPath.split('/').slice(1).map(decodeURIComponent).map(unescapePointer);
  let node = root;
  let depth = 0;
  let isListItem = false;
  let found: Pick<Annotated, 'depth' | 'message'> = { depth: 0, message: messageOf(root) };
  // The last segment is the failing keyword itself.
  for (let i = 0; i < segments.length - 1;) {
    const keyword = segments[i];
    let next: unknown;
    if (NAMED.has(keyword)) {
      next = (node[keyword] as Record<string, unknown> | undefined)?.[segments[i + 1]];
      i += 2;
    } else if (DIRECT.has(keyword)) {
      next = node[keyword];
      i += 1;
    } else {
      break;
    }
    if (!isPlainObject(next)) break;
    node = next;
    isListItem = keyword === 'items';
    if (DESCEND.has(keyword)) depth += 1;
    const message = messageOf(node);
    if (message !== undefined) found = { depth, message };
  }
  return { ...found, node, isListItem };
}

/** The display path of `segments` inside `root` (`a.b[3].c`), and the object holding the last. */
function located(
  root: unknown,
  segments: readonly string[],
  rootPath: string,
): { path: string; holder: unknown } {
  let path = rootPath;
  let value = root;
  let holder: unknown = undefined;
  for (const segment of segments) {
    if (Array.isArray(value)) {
      path = `${path}[${segment}]`;
    } else {
      path = path === '' ? segment : `${path}.${segment}`;
    }
    holder = value;
    value = isPlainObject(value) || Array.isArray(value) ? (value as Schema)[segment] : undefined;
  }
  return { path, holder };
}

/** `{name}` stands for the value of the sibling property `name`. */
function fillIn(message: string, holder: unknown): string {
  return message.replace(/\{(\w+)\}/g, (_match, name: string) =>
    String(isPlainObject(holder) ? holder[name] : undefined),
  );
}

function reported(
  error: ErrorObject,
  root: Schema,
  data: unknown,
  rootPath: string,
): { path: string; message: string } | null {
  const at = instanceSegments(error.instancePath);
  const custom = KEYWORDS.get(error.keyword);
  if (custom !== undefined) {
    return { path: located(data, at, rootPath).path, message: custom.message(error.data) };
  }
  switch (error.keyword) {
    // A summary of its branch's own failures, which are reported themselves.
    case 'if':
      return null;
    case 'additionalProperties': {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      return { path: located(data, [...at, extra], rootPath).path, message: 'is not allowed' };
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const { node } = annotatedAlong(root, error.schemaPath);
      const field = (node.properties as Record<string, unknown> | undefined)?.[missing];
      const { path, holder } = located(data, [...at, missing], rootPath);
      return { path, message: fillIn(messageOf(field) ?? 'is required', holder) };
    }
    default: {
      const annotated = annotatedAlong(root, error.schemaPath);
      if (error.keyword === 'type' && annotated.isListItem && Array.isArray(error.data)) {
        // Worded from the list, as the wire has always named a list nested in a list.
        const index = at[at.length - 1];
        return {
          path: located(data, at.slice(0, -1), rootPath).path,
          message: `[${index}] must be an object, not an array`,
        };
      }
      const { path, holder } = located(data, at.slice(0, annotated.depth), rootPath);
      return {
        path,
        message: fillIn(annotated.message ?? error.message ?? 'is not valid', holder),
      };
    }
  }
}

/** The list indices along a display path (`changes[3].x` → [3]), to order lines as the data. */
function indicesOf(path: string): number[] {
  return [...path.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
}

function compareIndices(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

/** One refused field: its display path ('' for the root) and every reason, joined. */
export interface ContractFieldError {
  field: string;
  reason: string;
}

/**
 * Ajv's failures of `data` against `schema`, one entry per field, in the order of the data (list
 * elements in order; within one, a field's own rules before the rules across fields); several
 * reasons of one field share its entry.
 */
export function contractFieldErrors(
  errors: readonly ErrorObject[],
  schema: TSchema,
  data: unknown,
  rootPath = '',
): ContractFieldError[] {
  const lines = errors
    .map((error) => ({
      line: reported(error, schema as Schema, data, rootPath),
      acrossFields: error.schemaPath.includes('/allOf/'),
    }))
    .filter(
      (entry): entry is { line: { path: string; message: string }; acrossFields: boolean } =>
        entry.line !== null,
    )
    .map((entry) => ({ ...entry, indices: indicesOf(entry.line.path) }))
    .sort(
      (a, b) =>
        compareIndices(a.indices, b.indices) || Number(a.acrossFields) - Number(b.acrossFields),
    );
  const byPath = new Map<string, Set<string>>();
  for (const { line } of lines) {
    const messages = byPath.get(line.path) ?? new Set<string>();
    messages.add(line.message);
    byPath.set(line.path, messages);
  }
  return [...byPath].map(([field, messages]) => ({ field, reason: [...messages].join('; ') }));
}
