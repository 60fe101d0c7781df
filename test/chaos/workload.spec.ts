import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Prng } from './prng';
import {
  ContentModel,
  LOCALES,
  TYPES,
  editData,
  mergeData,
  newData,
  planOperation,
  type PlannedRequest,
} from './workload';

const contentTypes = JSON.parse(
  readFileSync(path.join(__dirname, 'content-types.json'), 'utf8'),
) as Record<string, { localized: boolean; schema?: { required?: string[] } }>;

function model(): ContentModel {
  const m = new ContentModel();
  m.add({
    type: 'article',
    id: 'a1',
    locale: 'en',
    by: 'master-1',
    at: 0,
    hot: true,
    deleted: false,
  });
  m.add({ type: 'author', id: 'w1', locale: '', by: 'ship-a', at: 0, hot: false, deleted: false });
  m.add({
    type: 'notice',
    id: 'n1',
    locale: 'fr',
    by: 'ship-b',
    at: 9_000,
    hot: false,
    deleted: false,
  });
  return m;
}

function plan(seed: number, role: 'crew' | 'operator', n = 500): PlannedRequest[] {
  const prng = new Prng(seed);
  const m = model();
  return Array.from({ length: n }, (_, i) =>
    planOperation(prng, m, role, 'ship-a', `ship-a#${i}`, 10_000),
  ).filter((r): r is PlannedRequest => r !== null);
}

describe('workload', () => {
  it('matches the content types it writes (localization, required fields)', () => {
    expect(Object.keys(TYPES).sort()).toEqual(Object.keys(contentTypes).sort());
    for (const [type, spec] of Object.entries(TYPES)) {
      expect(spec.localized).toBe(contentTypes[type].localized);
      for (const required of contentTypes[type].schema?.required ?? []) {
        expect(spec.fields[0]).toBe(required);
      }
    }
  });

  it('is reproducible: the same seed plans the same requests', () => {
    expect(plan(3, 'crew')).toEqual(plan(3, 'crew'));
    expect(plan(3, 'crew')).not.toEqual(plan(4, 'crew'));
  });

  it('plans creates, other locales, updates, deletes and bulk writes on ships; no bulk on masters', () => {
    const crew = plan(5, 'crew');
    const kinds = new Set(
      crew.map((r) =>
        r.path === '/api/content/_bulk'
          ? 'bulk'
          : r.method === 'POST' && (r.body as { id?: string }).id
            ? 'create-locale'
            : r.method,
      ),
    );
    expect(kinds).toEqual(new Set(['POST', 'create-locale', 'PATCH', 'DELETE', 'bulk']));
    expect(plan(5, 'operator').some((r) => r.path === '/api/content/_bulk')).toBe(false);
  });

  it('writes values unique to each write, with the required field on every create', () => {
    const values = new Set<string>();
    for (const request of plan(6, 'crew')) {
      const body = request.body as { data?: Record<string, unknown>; locale?: string } | undefined;
      if (request.method === 'POST' && request.path !== '/api/content/_bulk') {
        const type = request.path.split('/')[3];
        expect(body?.data?.[TYPES[type].fields[0]]).toBeDefined();
        if (TYPES[type].localized) expect(LOCALES).toContain(body?.locale);
        else expect(body?.locale).toBe('');
      }
      for (const [field, value] of Object.entries(body?.data ?? {})) {
        if (field === 'author') continue; // a relation: another document's id
        const text = JSON.stringify(value);
        expect(values.has(text)).toBe(false);
        values.add(text);
      }
    }
  });

  it('edits only documents a node can have: its own, or old enough to have reached it', () => {
    const m = model();
    expect(m.editable('ship-a', 10_000).map((d) => d.id)).toEqual(['a1', 'w1']);
    expect(m.editable('ship-b', 10_000).map((d) => d.id)).toEqual(['a1', 'w1', 'n1']);
    m.markDeleted('author', 'w1', '');
    expect(m.editable('ship-a', 20_000).map((d) => d.id)).toEqual(['a1', 'n1']);
  });

  it('relates articles to known authors, or to documents that do not exist', () => {
    const prng = new Prng(8);
    const m = model();
    const authors = Array.from(
      { length: 200 },
      (_, i) => newData(prng, 'article', `t${i}`, m).author,
    );
    expect(authors).toContain('w1');
    expect(authors.some((a) => typeof a === 'string' && a !== 'w1')).toBe(true);
  });

  it('edits one to three fields of the type', () => {
    const prng = new Prng(9);
    for (let i = 0; i < 100; i += 1) {
      const fields = Object.keys(editData(prng, 'checklist', `t${i}`));
      expect(fields.length).toBeGreaterThanOrEqual(1);
      expect(fields.length).toBeLessThanOrEqual(3);
      for (const field of fields) expect(TYPES.checklist.fields).toContain(field);
    }
  });

  it('merges the ship side over the master side and keeps the required field', () => {
    const prng = new Prng(10);
    const merged = mergeData(prng, 'article', { title: 'm', body: 'mb' }, { body: 'sb' }, 'op#1');
    expect(merged.body === 'sb' || merged.body === 'body@op#1').toBe(true);
    expect(typeof merged.title).toBe('string');
    const fromDeleted = mergeData(prng, 'notice', {}, {}, 'op#2');
    expect(fromDeleted.text).toEqual(expect.any(String));
  });
});
