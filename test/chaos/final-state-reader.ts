import type { ApiClient } from './api-client';
import { acknowledgedWrites } from './checker';
import {
  docKey,
  type Conflict,
  type DeadLetter,
  type FinalState,
  type NodeDocument,
  type QueueRow,
  type Revision,
} from './final-state';
import type { HistoryRecord, OpRecord } from './history';
import { TYPES } from './workload';

const PAGE = 500;

/**
 * Reads the final state of every node through its public API: content lists of every type and
 * locale, checksums, the master's conflicts, dead letters and the edit log of every document the
 * history or any node names, and each ship's queue and status.
 */
export async function readFinalState(
  api: ApiClient,
  history: HistoryRecord[],
  masters: string[],
  ships: string[],
  quiescence: FinalState['quiescence'],
): Promise<FinalState> {
  const nodes = [...masters, ...ships];
  const master = masters[0];
  const locales = new Set(['', 'en', 'fr', 'de']);
  const ops = history.filter((r): r is OpRecord => r.type === 'op');
  const keys = new Set<string>();
  for (const op of ops) for (const write of acknowledgedWrites(op)) keys.add(write.key);
  for (const op of ops) {
    const url = new URL(op.path, 'http://node');
    const locale = url.searchParams.get('locale');
    if (locale !== null) locales.add(locale);
  }

  const checksums: FinalState['checksums'] = {};
  const documents: FinalState['documents'] = {};
  for (const node of nodes) {
    const sum = await api.call<{ checksum: string; documents: number }>(
      'final-state',
      node,
      'GET',
      '/api/offline-sync/checksum',
      undefined,
      { record: false, timeoutMs: 60_000 },
    );
    checksums[node] =
      sum.status === 200 && sum.body ? sum.body : { error: sum.error ?? `HTTP ${sum.status}` };
    const list: NodeDocument[] = [];
    for (const [type, spec] of Object.entries(TYPES)) {
      for (const locale of spec.localized ? locales : ['']) {
        list.push(
          ...(await pages<NodeDocument>(
            api,
            node,
            `/api/content/${type}?locale=${encodeURIComponent(locale)}`,
          )),
        );
      }
    }
    documents[node] = list;
    for (const d of list) keys.add(docKey(d.type, d.id, d.locale));
  }

  const conflicts = await pages<Conflict>(api, master, '/api/offline-sync/conflicts?');
  for (const c of conflicts) keys.add(docKey(c.type, c.documentId, c.locale));
  const deadLetters = await pages<DeadLetter>(api, master, '/api/offline-sync/dead-letters?');

  const queues: FinalState['queues'] = {};
  const shipDeadLetters: FinalState['shipDeadLetters'] = {};
  for (const ship of ships) {
    const rows = await pages<QueueRow>(api, ship, '/api/offline-sync/queue?');
    queues[ship] = rows;
    for (const row of rows) keys.add(docKey(row.type, row.documentId, row.locale));
    const status = await api.call<{ deadLetters: number }>(
      'final-state',
      ship,
      'GET',
      '/api/offline-sync/status',
      undefined,
      { record: false },
    );
    shipDeadLetters[ship] = status.body?.deadLetters ?? -1;
  }

  const revisions: FinalState['revisions'] = {};
  for (const key of keys) {
    const [type, id, locale] = key.split('|');
    const items = await pages<Revision>(
      api,
      master,
      `/api/content/${type}/${id}/revisions?locale=${encodeURIComponent(locale)}`,
      true,
    );
    if (items.length > 0) revisions[key] = items;
  }

  return {
    collectedAt: new Date().toISOString(),
    quiescence,
    masters,
    ships,
    checksums,
    documents,
    revisions,
    conflicts,
    deadLetters,
    shipDeadLetters,
    queues,
  };
}

/** Every item of a paginated list (`{ items, total }`); a 404 reads as none when allowed. */
async function pages<T>(
  api: ApiClient,
  node: string,
  path: string,
  notFoundIsEmpty = false,
): Promise<T[]> {
  const items: T[] = [];
  const separator = path.includes('?') && !path.endsWith('?') ? '&' : '';
  for (let page = 1; ; page += 1) {
    const answer = await api.call<{ items: T[]; total: number }>(
      'final-state',
      node,
      'GET',
      `${path}${separator}page=${page}&pageSize=${PAGE}`,
      undefined,
      { record: false, timeoutMs: 60_000 },
    );
    if (answer.status === 404 && notFoundIsEmpty) return items;
    if (answer.status !== 200 || !answer.body) {
      throw new Error(
        `reading ${path} on ${node} answered ${answer.status ?? answer.error} (the final state needs every node up)`,
      );
    }
    items.push(...answer.body.items);
    if (answer.body.items.length < PAGE || items.length >= answer.body.total) return items;
  }
}
