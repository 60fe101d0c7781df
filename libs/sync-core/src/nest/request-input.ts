import type { ArgumentMetadata } from '@nestjs/common';
import { findUnstorableText } from '../versioning/storable-text';
import { InputValidationException } from './input-validation.exception';

/**
 * The deepest nesting of objects and arrays a request body may have, the body itself counted:
 * class-transformer and the reserved-key scan recurse, and a body nested thousands of levels
 * deep would exhaust the stack. Ample for any document (the ship's fast bulk path takes data 64
 * levels below `writes[i].data`, well within it).
 */
export const MAX_INPUT_DEPTH = 100;

/** What a client sent: a body, query parameters or a route parameter (not Kafka payloads). */
export function isRequestInput(metadata: ArgumentMetadata): boolean {
  return metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param';
}

function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * Where `value` nests objects and arrays more than `maxDepth` deep, named down to its second
 * level (`data.body`); null when it does not. Iterative, so no depth can exhaust the stack.
 */
export function tooDeepAt(value: unknown, maxDepth = MAX_INPUT_DEPTH): string | null {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [
    { value, depth: 1, path: '' },
  ];
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop() as (typeof stack)[number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth > maxDepth) return path === '' ? '(body)' : path;
    const named = depth <= 2;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i += 1) {
        stack.push({ value: current[i], depth: depth + 1, path: named ? pathOf(path, i) : path });
      }
    } else {
      for (const [key, child] of Object.entries(current as Record<string, unknown>)) {
        stack.push({ value: child, depth: depth + 1, path: named ? pathOf(path, key) : path });
      }
    }
  }
  return null;
}

/**
 * Refuses, with a 400 naming the field, request input that no validation could handle: nesting
 * beyond MAX_INPUT_DEPTH, and a NUL character or a lone surrogate in a query or route parameter
 * (PostgreSQL refuses both in text, so a lookup by such a value would fail as a server error).
 * Free text in bodies is document data, which the services check with the document's rules.
 */
export function refuseUnworkableInput(value: unknown, metadata: ArgumentMetadata): void {
  const deep = tooDeepAt(value);
  if (deep !== null) {
    throw new InputValidationException([
      { field: deep, reason: `is nested more than ${MAX_INPUT_DEPTH} levels deep` },
    ]);
  }
  if (metadata.type === 'body') return;
  const root = metadata.type === 'param' && typeof value === 'string' ? (metadata.data ?? '') : '';
  const unstorable = findUnstorableText(value, root);
  if (unstorable) {
    throw new InputValidationException([
      { field: unstorable.field.replace(/^\./, ''), reason: unstorable.reason },
    ]);
  }
}
