import {
  encodeEnvelope,
  MessageKind,
  generateSigningKeyPair,
  signEnvelope,
} from '@offline-sync/sync-core';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import type { MasterClient } from '@offline-sync/api-client';
import { CREW_KEY, Fleet, type NodeApi } from '../harness/fleet';
import type { NodeProcess } from '../harness/node-process';
import { waitFor } from '../harness/test-infra';

/**
 * The fleet as it lives: a master and ships as real processes, each ship on its own SQLite file
 * and its own link to the broker, which the test cuts and restores. Everything is checked through
 * the public REST APIs; after each scenario the content checksums of all nodes must agree.
 */

const CONTENT_TYPES = JSON.stringify({
  article: {
    localized: true,
    policy: 'manual',
    schema: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } },
  },
  checklist: { localized: false, policy: 'field-merge' },
  notice: { localized: true, policy: 'last-write-wins' },
});

interface Doc {
  id: string;
  type: string;
  locale: string;
  version: number;
  data: Record<string, unknown>;
  sync?: { state: string; baseVersion: number; conflictId?: string };
}

const WAIT = { timeoutMs: 90_000, intervalMs: 300 };

describe('fleet end to end (real processes, real Kafka, PostgreSQL, SQLite)', () => {
  let fleet: Fleet;
  let master: NodeApi;
  /** The master's API through the typed client (libs/api-client). */
  let masterClient: MasterClient;
  let shipA: NodeApi;
  let shipB: NodeApi;

  beforeAll(async () => {
    fleet = await Fleet.start({
      ships: ['ship-a', 'ship-b'],
      lateShips: ['ship-c'],
      contentTypes: CONTENT_TYPES,
      env: {
        SYNC_DEBOUNCE_MS: '100',
        SYNC_RETRY_DELAY: '200',
        SYNC_CONNECTIVITY_CHECK_INTERVAL: '1000',
        SYNC_HEARTBEAT_INTERVAL: '2000',
        SYNC_SHIP_OFFLINE_AFTER: '6000',
        KAFKA_CONNECTION_TIMEOUT: '2000',
      },
    });
    master = fleet.api(fleet.master);
    masterClient = fleet.masterClient();
    shipA = fleet.api(fleet.ships['ship-a'], CREW_KEY);
    shipB = fleet.api(fleet.ships['ship-b'], CREW_KEY);
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  async function create(api: NodeApi, type: string, data: object, locale = '', id?: string) {
    const res = await api.post<Doc>(`/content/${type}`, { data, locale, ...(id ? { id } : {}) });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function update(api: NodeApi, type: string, id: string, data: object, locale = '') {
    const res = await api.patch<Doc>(`/content/${type}/${id}?locale=${locale}`, { data });
    expect(res.status).toBe(200);
    return res.body;
  }

  async function remove(api: NodeApi, type: string, id: string, locale = '') {
    const res = await api.delete(`/content/${type}/${id}?locale=${locale}`);
    expect(res.status).toBe(204);
  }

  function get(api: NodeApi, type: string, id: string, locale = '') {
    return api.get<Doc>(`/content/${type}/${id}?locale=${locale}`);
  }

  /** Waits until the node holds the document with data matching `expected`. */
  async function arrives(api: NodeApi, type: string, id: string, expected: object, locale = '') {
    return waitFor(
      async () => {
        const res = await get(api, type, id, locale);
        if (res.status !== 200) return undefined;
        return Object.entries(expected).every(
          ([k, v]) => JSON.stringify(res.body.data[k]) === JSON.stringify(v),
        )
          ? res.body
          : undefined;
      },
      { ...WAIT, description: `${type}/${id}[${locale}] with ${JSON.stringify(expected)}` },
    );
  }

  async function openConflict(shipId: string, documentId: string, locale = '') {
    return waitFor(
      async () => {
        const { data } = await masterClient.GET('/api/offline-sync/conflicts', {
          params: { query: { status: 'open', ship: shipId } },
        });
        return data?.items.find((c) => c.documentId === documentId && c.locale === locale);
      },
      { ...WAIT, description: `an open conflict for ${documentId} from ${shipId}` },
    );
  }

  async function checksums(nodes: NodeProcess[]) {
    return Promise.all(nodes.map((node) => fleet.checksum(node)));
  }

  /** Resolves a conflict on the master; answers the HTTP status and the body. */
  async function resolve(
    id: string,
    body: { strategy: 'keep-ship' | 'keep-master' | 'merge'; mergeData?: Record<string, unknown> },
  ) {
    const { data, error, response } = await masterClient.POST(
      '/api/offline-sync/conflicts/{id}/resolve',
      { params: { path: { id } }, body },
    );
    return { status: response.status, body: data ?? error };
  }

  /** The fleet is quiet and every node holds exactly the same content. */
  async function converged(nodes: NodeProcess[] = [fleet.master, ...Object.values(fleet.ships)]) {
    return waitFor(
      async () => {
        const sums = await checksums(nodes.filter((n) => n.isRunning()));
        return sums.every((s) => s.checksum === sums[0].checksum) ? sums[0] : undefined;
      },
      { ...WAIT, description: 'equal content checksums on the master and every ship' },
    );
  }

  it('offline ship edits (create, update, delete, two locales) arrive after reconnect and reach the other ship', async () => {
    fleet.cut('ship-a');
    const en = await create(shipA, 'article', { title: 'Engine log', body: 'v1' }, 'en');
    await create(shipA, 'article', { title: 'Journal machine' }, 'fr', en.id);
    await update(shipA, 'article', en.id, { body: 'v2' }, 'en');
    const scrap = await create(shipA, 'article', { title: 'Scrap' }, 'en');
    await remove(shipA, 'article', scrap.id, 'en');
    const note = await create(shipA, 'notice', { text: 'Drill at noon' }, 'en');
    await update(shipA, 'notice', note.id, { text: 'Drill at 13:00' }, 'en');

    expect((await get(master, 'article', en.id, 'en')).status).toBe(404);
    fleet.restore('ship-a');

    for (const api of [master, shipB]) {
      await arrives(api, 'article', en.id, { title: 'Engine log', body: 'v2' }, 'en');
      await arrives(api, 'article', en.id, { title: 'Journal machine' }, 'fr');
      await arrives(api, 'notice', note.id, { text: 'Drill at 13:00' }, 'en');
      expect((await get(api, 'article', scrap.id, 'en')).status).toBe(404);
    }
    const onA = await arrives(shipA, 'article', en.id, { body: 'v2' }, 'en');
    await waitFor(
      async () =>
        (await get(shipA, 'article', en.id, 'en')).body.sync?.state === 'synced' ? true : undefined,
      { ...WAIT, description: 'ship-a sees its edit accepted' },
    );
    expect(onA.id).toBe(en.id);
    await converged();
  });

  it('master edits reach an online ship at once and an offline ship after reconnect', async () => {
    fleet.cut('ship-b');
    const doc = await create(master, 'article', { title: 'Port call: Lisbon' }, 'en');
    await arrives(shipA, 'article', doc.id, { title: 'Port call: Lisbon' }, 'en');
    expect((await get(shipB, 'article', doc.id, 'en')).status).toBe(404);
    fleet.restore('ship-b');
    await arrives(shipB, 'article', doc.id, { title: 'Port call: Lisbon' }, 'en');
    await converged();
  });

  it('a master-vs-ship edit becomes a conflict; keep-ship converges every node', async () => {
    const doc = await create(master, 'article', { title: 'Menu', body: 'fish' }, 'en');
    await arrives(shipA, 'article', doc.id, { title: 'Menu' }, 'en');
    fleet.cut('ship-a');
    await update(master, 'article', doc.id, { body: 'meat' }, 'en');
    await update(shipA, 'article', doc.id, { body: 'vegetables' }, 'en');
    fleet.restore('ship-a');

    const conflict = await openConflict('ship-a', doc.id, 'en');
    await waitFor(
      async () =>
        (await get(shipA, 'article', doc.id, 'en')).body.sync?.state === 'conflict'
          ? true
          : undefined,
      { ...WAIT, description: 'ship-a shows the conflict' },
    );
    // The crew's edit was not overwritten while the conflict is open.
    expect((await get(shipA, 'article', doc.id, 'en')).body.data.body).toBe('vegetables');
    expect(
      (
        await resolve(conflict.id, {
          strategy: 'keep-ship',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await resolve(conflict.id, {
          strategy: 'keep-ship',
        })
      ).status,
    ).toBe(409);
    for (const api of [master, shipA, shipB]) {
      await arrives(api, 'article', doc.id, { body: 'vegetables' }, 'en');
    }
    await converged();
  });

  it('a ship-vs-ship edit becomes a conflict; keep-master converges every node', async () => {
    const doc = await create(master, 'article', { title: 'Watch rota' }, 'en');
    await arrives(shipA, 'article', doc.id, { title: 'Watch rota' }, 'en');
    await arrives(shipB, 'article', doc.id, { title: 'Watch rota' }, 'en');
    fleet.cut('ship-a');
    fleet.cut('ship-b');
    await update(shipA, 'article', doc.id, { title: 'Watch rota (A)' }, 'en');
    await update(shipB, 'article', doc.id, { title: 'Watch rota (B)' }, 'en');
    fleet.restore('ship-a');
    await arrives(master, 'article', doc.id, { title: 'Watch rota (A)' }, 'en');
    fleet.restore('ship-b');

    const conflict = await openConflict('ship-b', doc.id, 'en');
    expect(
      (
        await resolve(conflict.id, {
          strategy: 'keep-master',
        })
      ).status,
    ).toBe(200);
    for (const api of [master, shipA, shipB]) {
      await arrives(api, 'article', doc.id, { title: 'Watch rota (A)' }, 'en');
    }
    await converged();
  });

  it('merge takes the operator’s data, validated against the schema', async () => {
    const doc = await create(master, 'article', { title: 'Stores' }, 'en');
    await arrives(shipA, 'article', doc.id, { title: 'Stores' }, 'en');
    fleet.cut('ship-a');
    await update(master, 'article', doc.id, { title: 'Stores (shore)' }, 'en');
    await update(shipA, 'article', doc.id, { title: 'Stores (ship)' }, 'en');
    fleet.restore('ship-a');
    const conflict = await openConflict('ship-a', doc.id, 'en');

    const invalid = await resolve(conflict.id, { strategy: 'merge', mergeData: { title: 42 } });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain('title');
    const merged = await resolve(conflict.id, {
      strategy: 'merge',
      mergeData: { title: 'Stores (merged)' },
    });
    expect(merged.status).toBe(200);
    for (const api of [master, shipA, shipB]) {
      await arrives(api, 'article', doc.id, { title: 'Stores (merged)' }, 'en');
    }
    await converged();
  });

  it('field-merge merges edits of different fields, last-write-wins keeps the later edit, no conflict', async () => {
    const list = await create(master, 'checklist', { lifeboats: 'unchecked', radio: 'unchecked' });
    const notice = await create(master, 'notice', { text: 'Muster at 10' }, 'en');
    for (const api of [shipA, shipB]) {
      await arrives(api, 'checklist', list.id, { radio: 'unchecked' });
      await arrives(api, 'notice', notice.id, { text: 'Muster at 10' }, 'en');
    }
    fleet.cut('ship-a');
    fleet.cut('ship-b');
    await update(shipA, 'checklist', list.id, { lifeboats: 'checked' });
    await update(shipB, 'checklist', list.id, { radio: 'checked' });
    await update(shipB, 'notice', notice.id, { text: 'Muster at 11 (B, earlier)' }, 'en');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await update(shipA, 'notice', notice.id, { text: 'Muster at 12 (A, later)' }, 'en');
    fleet.restore('ship-a');
    fleet.restore('ship-b');

    for (const api of [master, shipA, shipB]) {
      await arrives(api, 'checklist', list.id, { lifeboats: 'checked', radio: 'checked' });
      await arrives(api, 'notice', notice.id, { text: 'Muster at 12 (A, later)' }, 'en');
    }
    const { data: open } = await masterClient.GET('/api/offline-sync/conflicts', {
      params: { query: { status: 'open' } },
    });
    expect(open?.items.filter((c) => [list.id, notice.id].includes(c.documentId))).toEqual([]);
    await converged();
  });

  it('raises no false conflicts: a ship editing after seeing the master edit, and edits of other locales', async () => {
    const doc = await create(master, 'article', { title: 'Weather' }, 'en');
    await create(master, 'article', { title: 'Météo' }, 'fr', doc.id);
    await arrives(shipA, 'article', doc.id, { title: 'Météo' }, 'fr');
    await update(master, 'article', doc.id, { title: 'Weather: storm' }, 'en');
    await arrives(shipA, 'article', doc.id, { title: 'Weather: storm' }, 'en');
    await update(shipA, 'article', doc.id, { body: 'Secure the deck' }, 'en');
    // ship-b has seen every edit so far: its next edit is based on the latest version.
    await arrives(shipB, 'article', doc.id, { body: 'Secure the deck' }, 'en');

    fleet.cut('ship-b');
    await update(master, 'article', doc.id, { title: 'Météo : tempête' }, 'fr');
    await update(shipB, 'article', doc.id, { body: 'Stay inside' }, 'en');
    fleet.restore('ship-b');

    await arrives(master, 'article', doc.id, { title: 'Météo : tempête' }, 'fr');
    await converged();
    const { data: conflicts } = await masterClient.GET('/api/offline-sync/conflicts');
    expect(conflicts?.items.filter((c) => c.documentId === doc.id)).toEqual([]);
  });

  it('update-vs-delete and delete-vs-update are conflicts', async () => {
    const kept = await create(master, 'article', { title: 'Deleted on shore' }, 'en');
    const dropped = await create(master, 'article', { title: 'Deleted at sea' }, 'en');
    await arrives(shipA, 'article', kept.id, { title: 'Deleted on shore' }, 'en');
    await arrives(shipA, 'article', dropped.id, { title: 'Deleted at sea' }, 'en');
    fleet.cut('ship-a');
    await remove(master, 'article', kept.id, 'en');
    await update(shipA, 'article', kept.id, { title: 'Edited at sea' }, 'en');
    await update(master, 'article', dropped.id, { title: 'Edited on shore' }, 'en');
    await remove(shipA, 'article', dropped.id, 'en');
    fleet.restore('ship-a');

    const updateDelete = await openConflict('ship-a', kept.id, 'en');
    const deleteUpdate = await openConflict('ship-a', dropped.id, 'en');
    expect(updateDelete.conflictType).toBe('update-delete');
    expect(deleteUpdate.conflictType).toBe('delete-update');
    await resolve(updateDelete.id, {
      strategy: 'keep-ship',
    });
    await resolve(deleteUpdate.id, {
      strategy: 'keep-master',
    });
    for (const api of [master, shipA, shipB]) {
      await arrives(api, 'article', kept.id, { title: 'Edited at sea' }, 'en');
      await arrives(api, 'article', dropped.id, { title: 'Edited on shore' }, 'en');
    }
    await converged();
  });

  it('forged and malformed messages land in dead letters and do not stop the flow', async () => {
    const kafka = new Kafka({
      clientId: 'intruder',
      brokers: [fleet.kafka.brokers],
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const forged = signEnvelope(
      {
        sender: 'ship-a',
        kind: MessageKind.ShipChanges,
        payload: {
          changes: [
            {
              changeId: uuidv7(),
              seq: 1_000_000,
              op: 'create',
              type: 'article',
              documentId: uuidv7(),
              locale: 'en',
              baseVersion: 0,
              fields: { title: 'forged' },
              editedAt: new Date().toISOString(),
            },
          ],
        },
      },
      generateSigningKeyPair().privateKey,
    );
    await producer.send({
      topic: fleet.topics.shipUpdates,
      messages: [
        { key: 'ship-a', value: encodeEnvelope(forged) },
        { key: 'ship-a', value: 'not json at all' },
      ],
    });
    await producer.disconnect();

    const after = await create(shipA, 'article', { title: 'After the intruder' }, 'en');
    await arrives(master, 'article', after.id, { title: 'After the intruder' }, 'en');
    const letters = await waitFor(
      async () => {
        const { data } = await masterClient.GET('/api/offline-sync/dead-letters');
        const reasons = data?.items.map((d) => d.reason) ?? [];
        // The forgery names the intruder's own key, which ship-a never had.
        return reasons.includes('unknown-key') && reasons.includes('malformed')
          ? reasons
          : undefined;
      },
      { ...WAIT, description: 'dead letters for the forged and the malformed message' },
    );
    expect(letters).toEqual(expect.arrayContaining(['unknown-key', 'malformed']));
    await converged();
  });

  it('survives kill -9 of the master during ingest, of a ship during a flush, and a broker restart', async () => {
    const before = (await converged()).documents;
    fleet.cut('ship-a');
    const ids: string[] = [];
    for (let i = 0; i < 300; i += 1) {
      ids.push((await create(shipA, 'article', { title: `Backlog ${i}` }, 'en')).id);
    }
    fleet.restore('ship-a');
    // Crash the master while the backlog is being ingested, then bring it back.
    await waitFor(
      async () => ((await get(master, 'article', ids[0], 'en')).status === 200 ? true : undefined),
      { ...WAIT, description: 'ingest under way' },
    );
    await fleet.master.kill9();
    await fleet.master.start();

    // Crash ship-b while it flushes its own backlog.
    fleet.cut('ship-b');
    for (let i = 0; i < 100; i += 1) {
      ids.push((await create(shipB, 'article', { title: `Backlog B ${i}` }, 'en')).id);
    }
    fleet.restore('ship-b');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fleet.ships['ship-b'].kill9();
    await fleet.ships['ship-b'].start();

    await fleet.kafka.restart();

    for (const id of [ids[0], ids[299], ids[399]]) {
      await arrives(master, 'article', id, {}, 'en');
    }
    const result = await converged();
    // Nothing lost, nothing duplicated: exactly the documents written, on every node.
    expect(result.documents).toBe(before + ids.length);
  });

  it('a ship joining late receives the full current content, without deleted documents', async () => {
    const deleted = await create(master, 'article', { title: 'Withdrawn' }, 'en');
    await remove(master, 'article', deleted.id, 'en');
    const late = await fleet.startLateShip('ship-c');
    const shipC = fleet.api(late, CREW_KEY);
    const result = await converged([fleet.master, late]);
    expect(result.documents).toBeGreaterThan(0);
    expect((await get(shipC, 'article', deleted.id, 'en')).status).toBe(404);
    await converged();
  });
});
