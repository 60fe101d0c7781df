import { readFileSync } from 'node:fs';
import {
  CONFLICT_POLICIES,
  type ConflictPolicyName,
  type ContentTypeDefinition,
} from './content-type.definition';
import { errorMessage } from '../errors/error-message';

export const CONTENT_TYPE_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** What `SYNC_CONTENT_TYPES` declares: a fixed list, or (seed default, when empty) any type. */
export interface ContentTypeDeclaration {
  anyType: boolean;
  types: ContentTypeDefinition[];
}

/**
 * Parses `SYNC_CONTENT_TYPES`. Accepted forms:
 * - empty: every type name is accepted, policy `manual`, no schema (the seed's "All types");
 * - a list: `article:field-merge,author,api::product.product` (seed-style uids map to `product`);
 * - JSON: `{"article": {"policy": "manual", "localized": true, "schema": {...}, "relations": {"author": "author"}, "localOnly": ["pinCode"]}}`;
 * - a file: `@/etc/offline-sync/content-types.json` (same JSON).
 * Throws an Error whose message names the offending entry.
 */
export function parseContentTypes(value: string): ContentTypeDeclaration {
  const text = value.trim();
  if (text === '') return { anyType: true, types: [] };
  if (text.startsWith('@')) return parseJson(readFileText(text.slice(1)), text.slice(1));
  if (text.startsWith('{')) return parseJson(text, 'SYNC_CONTENT_TYPES');
  return {
    anyType: false,
    types: text
      .split(',')
      .filter((s) => s.trim() !== '')
      .map(parseListItem),
  };
}

function parseListItem(item: string): ContentTypeDefinition {
  const [rawName, rawPolicy, ...rest] = item
    .trim()
    .split(':')
    .filter((part) => part !== '');
  // Seed-style uid `api::article.article` → `article`.
  const seed = /^api::([a-z0-9-]+)\.([a-z0-9-]+)$/i.exec(item.trim());
  const name = seed ? seed[2].toLowerCase() : rawName;
  const policyText = seed ? undefined : rawPolicy;
  if (!seed && rest.length > 0) throw new Error(`"${item}" must be name or name:policy`);
  return {
    name: checkName(name),
    policy: checkPolicy(policyText, name),
    localized: true,
    relations: {},
  };
}

function parseJson(text: string, source: string): ContentTypeDeclaration {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON (${errorMessage(error)})`, { cause: error });
  }
  if (!isRecord(parsed))
    throw new Error(`${source} must be a JSON object of type name → definition`);
  const types = Object.entries(parsed).map(([name, raw]): ContentTypeDefinition => {
    if (!isRecord(raw)) throw new Error(`content type "${name}" must be an object`);
    const unknown = Object.keys(raw).filter(
      (k) => !['policy', 'localized', 'schema', 'relations', 'localOnly'].includes(k),
    );
    if (unknown.length > 0)
      throw new Error(`content type "${name}": unknown key(s) ${unknown.join(', ')}`);
    if (raw.localized !== undefined && typeof raw.localized !== 'boolean') {
      throw new Error(`content type "${name}": localized must be true or false`);
    }
    if (raw.schema !== undefined && !isRecord(raw.schema)) {
      throw new Error(`content type "${name}": schema must be a JSON Schema object`);
    }
    const relations = raw.relations ?? {};
    if (!isRecord(relations) || Object.values(relations).some((t) => typeof t !== 'string')) {
      throw new Error(`content type "${name}": relations must map field names to type names`);
    }
    const localOnly = raw.localOnly ?? [];
    if (
      !Array.isArray(localOnly) ||
      localOnly.some((field) => typeof field !== 'string' || field === '')
    ) {
      throw new Error(`content type "${name}": localOnly must be a list of field names`);
    }
    const required = (raw.schema as { required?: unknown } | undefined)?.required;
    const requiredLocal = Array.isArray(required)
      ? (localOnly as string[]).filter((field) => required.includes(field))
      : [];
    if (requiredLocal.length > 0) {
      // The other nodes never receive it, so their copies could never satisfy the schema.
      throw new Error(
        `content type "${name}": local-only field(s) ${requiredLocal.join(', ')} cannot be required by the schema`,
      );
    }
    return {
      name: checkName(name),
      policy: checkPolicy(raw.policy, name),
      localized: raw.localized ?? true,
      schema: raw.schema,
      relations: relations as Record<string, string>,
      ...(localOnly.length > 0 ? { localOnly: localOnly as string[] } : {}),
    };
  });
  const names = new Set(types.map((t) => t.name));
  for (const type of types) {
    for (const [field, target] of Object.entries(type.relations)) {
      if (!names.has(target)) {
        throw new Error(
          `content type "${type.name}": relation ${field} points to unknown type "${target}"`,
        );
      }
    }
  }
  return { anyType: false, types };
}

function checkName(name: string | undefined): string {
  if (!name || !CONTENT_TYPE_NAME.test(name)) {
    throw new Error(
      `"${name ?? ''}" is not a valid content type name (a-z, 0-9, "-", starting with a letter)`,
    );
  }
  return name;
}

function checkPolicy(policy: unknown, name: string): ConflictPolicyName {
  if (policy === undefined) return 'manual';
  if (typeof policy === 'string' && (CONFLICT_POLICIES as readonly string[]).includes(policy)) {
    return policy as ConflictPolicyName;
  }
  throw new Error(
    `content type "${name}": policy must be one of ${CONFLICT_POLICIES.join(', ')} (got ${JSON.stringify(policy)})`,
  );
}

function readFileText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path} (${errorMessage(error)})`, { cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
