import { Kafka, logLevel, type Admin } from 'kafkajs';
import { CREW_KEY, Fleet, type NodeApi } from '../harness/fleet';
import type { NodeProcess } from '../harness/node-process';
import { waitFor } from '../harness/test-infra';

/**
 * The guarantees over a ship's life, end to end (docs/protocol.md, "Guarantees"): a master and
 * ships as real processes, each ship behind its own link, real Kafka, PostgreSQL and SQLite.
 * Every scenario ends with the same content on every node.
 */

const CONTENT_TYPES = JSON.stringify({
  article: { localized: true, policy: 'manual' },
  notice: { localized: false, policy: 'last-write-wins' },
});

const YEAR_MS = 365 * 24 * 3600 * 1000;
const OUTCOME_TIMEOUT_MS = 3000;
const WAIT = { timeoutMs: 90_000, intervalMs: 300 };

interface Doc {
  id: string;
  version: number;
  data: Record<string, unknown>;
  sync?: { state: string; baseVersion: number; conflictId?: string };
}

interface ShipStatus {
  pending: number;
  awaitingOutcome: number;
  failed: number;
}

describe('a ship life: weeks dark, lost answers, wrong clocks (real processes)', () => {
  let fleet: Fleet;
  let master: NodeApi;
  let shipA: NodeApi;
  let shipB: NodeApi;
  let admin: Admin;

  beforeAll(async () => {
    fleet = await Fleet.start({
      ships: ['ship-a', 'ship-b'],
      contentTypes: CONTENT_TYPES,
      env: {
        SYNC_DEBOUNCE_MS: '100',
        SYNC_RETRY_DELAY: '200',
        SYNC_CONNECTIVITY_CHECK_INTERVAL: '500',
        SYNC_HEARTBEAT_INTERVAL: '1000',
        SYNC_SHIP_OFFLINE_AFTER: '6000',
        SYNC_OUTCOME_TIMEOUT: String(OUTCOME_TIMEOUT_MS),
        KAFKA_CONNECTION_TIMEOUT: '2000',
      },
      // ship-a's clock is a year behind, ship-b's a year ahead.
      shipEnv: {
        'ship-a': { SYNC_TEST_CLOCK_OFFSET_MS: String(-YEAR_MS) },
        'ship-b': { SYNC_TEST_CLOCK_OFFSET_MS: String(YEAR_MS) },
      },
      // Retention the test shortens on a topic is enforced within a second.
      brokerProperties: ['log.retention.check.interval.ms=1000', 'file.delete.delay.ms=100'],
    });
    master = fleet.api(fleet.master);
    shipA = fleet.api(fleet.ships['ship-a'], CREW_KEY);
    shipB = fleet.api(fleet.ships['ship-b'], CREW_KEY);
    admin = new Kafka({
      clientId: 'ship-life-admin',
      brokers: fleet.kafka.brokers.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await fleet?.stop();
  });

  const outcomeTopic = (ship: string): string => `${fleet.topicPrefix}change-outcomes.${ship}`;

  async function status(api: NodeApi): Promise<ShipStatus> {
    return (await api.get<ShipStatus>('/offline-sync/status')).body;
  }

  async function create(api: NodeApi, type: string, data: object, locale = '') {
    const res = await api.post<Doc>(`/content/${type}`, { data, locale });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function patch(api: NodeApi, type: string, id: string, data: object, locale = '') {
    const res = await api.patch<Doc>(`/content/${type}/${id}?locale=${locale}`, { data });
    expect(res.status).toBe(200);
    return res.body;
  }

  function get(api: NodeApi, type: string, id: string, locale = '') {
    return api.get<Doc>(`/content/${type}/${id}?locale=${locale}`);
  }

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

  /** Every node quiet, holding the same content, no change left without its outcome. */
  async function converged(): Promise<void> {
    const nodes: NodeProcess[] = [fleet.master, ...Object.values(fleet.ships)];
    await waitFor(
      async () => {
        const sums = await Promise.all(
          nodes.map(
            async (node) =>
              (await fleet.api(node).get<{ checksum: string }>('/offline-sync/checksum')).body
                .checksum,
          ),
        );
        const settled = await Promise.all([shipA, shipB].map((api) => status(api)));
        return (
          sums.every((sum) => sum === sums[0]) &&
          settled.every((s) => s.pending + s.awaitingOutcome + s.failed === 0)
        );
      },
      { ...WAIT, description: 'equal checksums and no change waiting on any ship' },
    );
  }

  /** The crew writes while the master is down: the broker takes the changes, nobody answers. */
  async function sentWithoutAnswer(api: NodeApi, titles: string[]): Promise<Doc[]> {
    await fleet.master.stop();
    const docs = [];
    for (const title of titles) docs.push(await create(api, 'article', { title }, 'en'));
    await waitFor(async () => (await status(api)).awaitingOutcome === titles.length, {
      ...WAIT,
      description: `${titles.length} change(s) sent, waiting for their outcome`,
    });
    return docs;
  }

  /** The master comes back and answers while the ship is dark; returns the outcome topic's end. */
  async function answeredWhileDark(ship: string): Promise<bigint> {
    fleet.cut(ship);
    await fleet.master.start();
    return waitFor(
      async () => {
        const [partition] = await admin.fetchTopicOffsets(outcomeTopic(ship));
        return partition && BigInt(partition.high) > 0n ? BigInt(partition.high) : undefined;
      },
      { ...WAIT, description: `outcomes for ${ship} on the broker` },
    );
  }

  it('settles every change of a ship that was dark longer than its outcome topic keeps outcomes', async () => {
    const docs = await sentWithoutAnswer(shipA, ['dark 1', 'dark 2', 'dark 3']);
    const end = await answeredWhileDark('ship-a');
    // The broker drops the outcomes before the ship is back.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: 2, // TOPIC
          name: outcomeTopic('ship-a'),
          configEntries: [
            { name: 'retention.ms', value: '1000' },
            { name: 'segment.ms', value: '500' },
          ],
        },
      ],
    });
    await waitFor(
      async () => {
        const [partition] = await admin.fetchTopicOffsets(outcomeTopic('ship-a'));
        return BigInt(partition.low) >= end;
      },
      { ...WAIT, description: 'the outcomes expired from the broker' },
    );
    fleet.restore('ship-a');
    for (const doc of docs) {
      await waitFor(
        async () => (await get(shipA, 'article', doc.id, 'en')).body.sync?.state === 'synced',
        { ...WAIT, description: `${doc.id} synced on ship-a` },
      );
      await arrives(master, 'article', doc.id, doc.data, 'en');
    }
    await converged();
  });

  it('asks again for an outcome dropped on the way and settles the change', async () => {
    const [doc] = await sentWithoutAnswer(shipB, ['dropped']);
    const end = await answeredWhileDark('ship-b');
    await admin.deleteTopicRecords({
      topic: outcomeTopic('ship-b'),
      partitions: [{ partition: 0, offset: end.toString() }],
    });
    fleet.restore('ship-b');
    await waitFor(
      async () => (await get(shipB, 'article', doc.id, 'en')).body.sync?.state === 'synced',
      { ...WAIT, description: 'the change settled on ship-b' },
    );
    await converged();
  });

  it('refuses a crew write no node could store, while the writes around it sync', async () => {
    const before = await create(shipA, 'article', { title: 'before' }, 'en');
    const refused = await shipA.post<{ errors: Array<{ field: string; reason: string }> }>(
      '/content/article',
      { data: { title: 'bad \u0000 title' }, locale: 'en' },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: 'data.title', reason: expect.stringMatching(/NUL/) as string },
    ]);
    const after = await create(shipA, 'article', { title: 'after' }, 'en');
    await arrives(master, 'article', before.id, { title: 'before' }, 'en');
    await arrives(shipB, 'article', after.id, { title: 'after' }, 'en');
    await converged();
  });

  it('lets the later edit win last-write-wins whichever way the ship clock is wrong', async () => {
    // ship-a's clock is a year behind: it learns the master's time from what it receives.
    const behind = await create(master, 'notice', { text: 'base' });
    const ahead = await create(master, 'notice', { text: 'base' });
    await arrives(shipA, 'notice', behind.id, { text: 'base' });
    await arrives(shipB, 'notice', ahead.id, { text: 'base' });

    fleet.cut('ship-a');
    fleet.cut('ship-b');
    // Ahead: the crew edits first, the shore after.
    await patch(shipB, 'notice', ahead.id, { text: 'sea, earlier' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await patch(master, 'notice', behind.id, { text: 'shore, earlier' });
    await patch(master, 'notice', ahead.id, { text: 'shore, later' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Behind: the shore edited first, the crew after.
    await patch(shipA, 'notice', behind.id, { text: 'sea, later' });
    fleet.restore('ship-a');
    fleet.restore('ship-b');

    await arrives(master, 'notice', behind.id, { text: 'sea, later' });
    await arrives(master, 'notice', ahead.id, { text: 'shore, later' });
    await arrives(shipB, 'notice', ahead.id, { text: 'shore, later' });
    await arrives(shipA, 'notice', behind.id, { text: 'sea, later' });
    await converged();
  });

  it('keeps the crew copy of an open conflict through unrelated shore edits, until it is resolved', async () => {
    const doc = await create(master, 'article', { title: 'base', body: 'b' }, 'en');
    await arrives(shipB, 'article', doc.id, { title: 'base' }, 'en');
    fleet.cut('ship-b');
    await patch(master, 'article', doc.id, { title: 'shore' }, 'en');
    await patch(shipB, 'article', doc.id, { title: 'sea' }, 'en');
    fleet.restore('ship-b');
    const conflict = await waitFor(
      async () => {
        const res = await get(shipB, 'article', doc.id, 'en');
        return res.body.sync?.state === 'conflict' ? res.body.sync.conflictId : undefined;
      },
      { ...WAIT, description: 'the conflict shown on ship-b' },
    );
    // Later, unrelated shore edits while the conflict is open.
    await patch(master, 'article', doc.id, { body: 'shore body 1' }, 'en');
    await patch(master, 'article', doc.id, { body: 'shore body 2' }, 'en');
    await arrives(shipA, 'article', doc.id, { body: 'shore body 2' }, 'en');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const held = await get(shipB, 'article', doc.id, 'en');
    expect(held.body.data.title).toBe('sea');
    expect(held.body.sync).toMatchObject({ state: 'conflict', conflictId: conflict });

    const resolved = await master.post(`/offline-sync/conflicts/${conflict}/resolve`, {
      strategy: 'merge',
      mergeData: { title: 'sea and shore', body: 'shore body 2' },
    });
    expect(resolved.status).toBe(200);
    const final = await arrives(shipB, 'article', doc.id, { title: 'sea and shore' }, 'en');
    expect(final.sync?.state).toBe('synced');
    await converged();
  });
});
