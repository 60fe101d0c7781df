import { docKey } from './final-state';
import type { Prng } from './prng';

/**
 * What the crews and the shore operators do during a run, decided by a seeded generator from
 * what they know of the content: creates, updates, deletes, other locales of a document,
 * relations, bulk writes on ships, and edits of a few "hot" documents that every node edits at
 * once (the conflicts). Every value written is unique to its write (`<field>@<node>#<op>`), so the
 * checker can tell from the final state whether a write reached it.
 */

export interface TypeSpec {
  localized: boolean;
  /** Fields the workload writes; the first is the required one. */
  fields: string[];
  /** A field that holds another type's document id. */
  relation?: { field: string; type: string };
  /** Fields holding a list of strings. */
  lists?: string[];
}

/** The content types of test/chaos/content-types.json, as the workload writes them. */
export const TYPES: Record<string, TypeSpec> = {
  article: {
    localized: true,
    fields: ['title', 'body', 'tags'],
    relation: { field: 'author', type: 'author' },
    lists: ['tags'],
  },
  author: { localized: false, fields: ['name', 'bio'] },
  checklist: { localized: false, fields: ['galley', 'deck', 'engine', 'bridge', 'cabins'] },
  notice: { localized: true, fields: ['text', 'level'] },
  bulletin: { localized: false, fields: ['text', 'note'] },
  logbook: { localized: false, fields: ['entry', 'position'] },
};

export const LOCALES = ['en', 'fr', 'de'];

export interface KnownDocument {
  type: string;
  id: string;
  locale: string;
  /** Node that created it. */
  by: string;
  /** History time it was created at. */
  at: number;
  hot: boolean;
  deleted: boolean;
}

/** What the workload knows of the content: every document some node acknowledged creating. */
export class ContentModel {
  private readonly documents = new Map<string, KnownDocument>();
  private list: KnownDocument[] = [];

  add(document: KnownDocument): void {
    const key = docKey(document.type, document.id, document.locale);
    if (this.documents.has(key)) return;
    this.documents.set(key, document);
    this.list.push(document);
  }

  markDeleted(type: string, id: string, locale: string): void {
    const document = this.documents.get(docKey(type, id, locale));
    if (document) document.deleted = true;
  }

  get all(): readonly KnownDocument[] {
    return this.list;
  }

  /** Documents a node may edit now: its own, or old enough to have reached it. */
  editable(node: string, now: number, settleMs = 3_000): KnownDocument[] {
    return this.list.filter((d) => !d.deleted && (d.by === node || now - d.at >= settleMs));
  }

  hot(): KnownDocument[] {
    return this.list.filter((d) => d.hot && !d.deleted);
  }
}

export interface PlannedRequest {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** What the workload learns from a 2xx answer. */
  learn?: { kind: 'create'; type: string; locale: string; hot?: boolean } | { kind: 'delete' };
}

export type OperationKind = 'create' | 'create-locale' | 'update' | 'delete' | 'bulk';

const CREW_WEIGHTS: Record<OperationKind, number> = {
  create: 24,
  'create-locale': 5,
  update: 52,
  delete: 7,
  bulk: 12,
};
const OPERATOR_WEIGHTS: Record<OperationKind, number> = {
  create: 25,
  'create-locale': 5,
  update: 60,
  delete: 10,
  bulk: 0,
};

/** A unique value for one field of one write. */
export function tokenValue(spec: TypeSpec, field: string, token: string): unknown {
  return spec.lists?.includes(field) ? [`${field}@${token}`, 'crew'] : `${field}@${token}`;
}

/** The whole data of a new document (the required field always set). */
export function newData(
  prng: Prng,
  type: string,
  token: string,
  model: ContentModel,
): Record<string, unknown> {
  const spec = TYPES[type];
  const data: Record<string, unknown> = {};
  for (const field of spec.fields) {
    if (field === spec.fields[0] || prng.chance(0.5)) data[field] = tokenValue(spec, field, token);
  }
  if (spec.relation && prng.chance(0.7)) {
    const targets = model.all.filter((d) => d.type === spec.relation?.type && !d.deleted);
    // A reference to a document that does not exist (yet) is kept, not dropped (SPEC §2).
    data[spec.relation.field] =
      targets.length > 0 && prng.chance(0.85) ? prng.pick(targets).id : syntheticId(prng);
  }
  return data;
}

/** Changed fields of an edit: one to three of the type's fields, each a new value. */
export function editData(prng: Prng, type: string, token: string): Record<string, unknown> {
  const spec = TYPES[type];
  const count = prng.int(1, Math.min(3, spec.fields.length));
  const fields = new Set<string>();
  while (fields.size < count) fields.add(prng.pick(spec.fields));
  return Object.fromEntries([...fields].map((f) => [f, tokenValue(spec, f, token)]));
}

/**
 * The next request of a crew member (on a ship) or an operator (on a master), or null when
 * there is nothing it could do yet (nothing known to edit).
 */
export function planOperation(
  prng: Prng,
  model: ContentModel,
  role: 'crew' | 'operator',
  node: string,
  token: string,
  now: number,
): PlannedRequest | null {
  const kind = prng.weighted(role === 'crew' ? CREW_WEIGHTS : OPERATOR_WEIGHTS);
  const editable = model.editable(node, now);
  const pickTarget = (hotShare: number): KnownDocument | null => {
    const hot = model.hot();
    if (hot.length > 0 && prng.chance(hotShare)) return prng.pick(hot);
    return editable.length > 0 ? prng.pick(editable) : null;
  };
  switch (kind) {
    case 'create':
      return createRequest(prng, model, token);
    case 'create-locale': {
      const localized = editable.filter((d) => TYPES[d.type].localized);
      if (localized.length === 0) return createRequest(prng, model, token);
      const source = prng.pick(localized);
      const locale = prng.pick(LOCALES.filter((l) => l !== source.locale));
      return {
        method: 'POST',
        path: `/api/content/${source.type}`,
        body: { id: source.id, locale, data: newData(prng, source.type, token, model) },
        learn: { kind: 'create', type: source.type, locale },
      };
    }
    case 'update': {
      const target = pickTarget(0.4);
      if (!target) return createRequest(prng, model, token);
      return {
        method: 'PATCH',
        path: `/api/content/${target.type}/${target.id}?locale=${target.locale}`,
        body: { data: editData(prng, target.type, token) },
      };
    }
    case 'delete': {
      // Deleting hot documents now and then gives update-vs-delete conflicts.
      const target = pickTarget(0.1);
      if (!target) return createRequest(prng, model, token);
      return {
        method: 'DELETE',
        path: `/api/content/${target.type}/${target.id}?locale=${target.locale}`,
        learn: { kind: 'delete' },
      };
    }
    case 'bulk':
      return bulkRequest(prng, model, node, token, now);
  }
}

function createRequest(prng: Prng, model: ContentModel, token: string): PlannedRequest {
  const type = prng.pick(Object.keys(TYPES));
  const locale = TYPES[type].localized ? prng.pick(LOCALES) : '';
  return {
    method: 'POST',
    path: `/api/content/${type}`,
    body: { locale, data: newData(prng, type, token, model) },
    learn: { kind: 'create', type, locale },
  };
}

/** A few creates and edits of the ship's own documents, all or none (POST /api/content/_bulk). */
function bulkRequest(
  prng: Prng,
  model: ContentModel,
  node: string,
  token: string,
  now: number,
): PlannedRequest {
  const writes: unknown[] = [];
  const creates = prng.int(1, 3);
  for (let i = 0; i < creates; i += 1) {
    const type = prng.pick(Object.keys(TYPES));
    const locale = TYPES[type].localized ? prng.pick(LOCALES) : '';
    writes.push({
      op: 'create',
      type,
      locale,
      data: newData(prng, type, `${token}.${i}`, model),
    });
  }
  const own = model.editable(node, now).filter((d) => d.by === node);
  const edits = own.length > 0 ? prng.int(0, 2) : 0;
  for (let i = 0; i < edits; i += 1) {
    const target = prng.pick(own);
    writes.push({
      op: 'update',
      type: target.type,
      id: target.id,
      locale: target.locale,
      data: editData(prng, target.type, `${token}.u${i}`),
    });
  }
  return { method: 'POST', path: '/api/content/_bulk', body: { writes } };
}

/**
 * The data a merge resolution keeps: the master's side, the ship's on top, and one field
 * written by the operator (so the resolution's own value is traceable too).
 */
export function mergeData(
  prng: Prng,
  type: string,
  master: Record<string, unknown>,
  ship: Record<string, unknown>,
  token: string,
): Record<string, unknown> {
  const spec = TYPES[type];
  const merged: Record<string, unknown> = { ...master, ...ship };
  const field = prng.pick(spec.fields);
  merged[field] = tokenValue(spec, field, token);
  const required = spec.fields[0];
  if (typeof merged[required] !== 'string') merged[required] = tokenValue(spec, required, token);
  return merged;
}

export type Strategy = 'keep-ship' | 'keep-master' | 'merge';

export function pickStrategy(prng: Prng): Strategy {
  return prng.weighted({ 'keep-ship': 35, 'keep-master': 35, merge: 30 });
}

/** A UUIDv7-shaped id of a document nobody created. */
function syntheticId(prng: Prng): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => prng.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-7${hex(3)}-8${hex(3)}-${hex(12)}`;
}
