import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CREW_KEY, Fleet, OPERATOR_KEY, VIEWER_KEY, type NodeApi } from '../harness/fleet';
import { chromiumExecutable } from '../harness/chromium';
import { REPO_ROOT } from '../harness/infra';
import { waitFor } from '../harness/test-infra';

/**
 * The operator console in a real browser (Debian's Chromium driven by Playwright) against the
 * real system: a master and two ships as processes, real Kafka and PostgreSQL. Every page is
 * also photographed for docs/console.
 */

const CONTENT_TYPES = JSON.stringify({
  article: {
    localized: true,
    policy: 'manual',
    schema: {
      type: 'object',
      properties: { title: { type: 'string' }, body: { type: 'string' } },
    },
  },
});
const WAIT = { timeoutMs: 90_000, intervalMs: 300 };
const SHOTS = path.join(REPO_ROOT, 'docs', 'console');

interface Doc {
  id: string;
  version: number;
  data: Record<string, unknown>;
}

interface Conflict {
  id: string;
  documentId: string;
  shipId: string;
  status: string;
}

describe('operator console in a browser (real processes, Kafka, PostgreSQL, Chromium)', () => {
  let fleet: Fleet;
  let master: NodeApi;
  let shipA: NodeApi;
  let shipB: NodeApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    fleet = await Fleet.start({
      ships: ['ship-a', 'ship-b'],
      contentTypes: CONTENT_TYPES,
      withConsole: true,
      env: {
        SYNC_DEBOUNCE_MS: '100',
        SYNC_RETRY_DELAY: '200',
        SYNC_CONNECTIVITY_CHECK_INTERVAL: '500',
        SYNC_HEARTBEAT_INTERVAL: '1000',
        SYNC_SHIP_OFFLINE_AFTER: '4000',
        KAFKA_CONNECTION_TIMEOUT: '2000',
      },
    });
    master = fleet.api(fleet.master);
    shipA = fleet.api(fleet.ships['ship-a'], CREW_KEY);
    shipB = fleet.api(fleet.ships['ship-b'], CREW_KEY);
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: chromiumExecutable(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await fleet?.stop();
  });

  const url = (route = ''): string => `${fleet.master.url}/console${route}`;
  const shot = (name: string, target: Page = page) =>
    target.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  async function signIn(target: Page, key: string): Promise<void> {
    await target.goto(url('/'));
    await target.getByLabel('API key').fill(key);
    await target.getByRole('button', { name: 'Sign in' }).click();
    await target.getByTestId('role').waitFor();
  }

  async function create(api: NodeApi, data: object, locale = 'en'): Promise<Doc> {
    const res = await api.post<Doc>('/content/article', { data, locale });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function arrives(api: NodeApi, id: string, expected: object, locale = 'en') {
    return waitFor(
      async () => {
        const res = await api.get<Doc>(`/content/article/${id}?locale=${locale}`);
        return res.status === 200 &&
          Object.entries(expected).every(([k, v]) => res.body.data[k] === v)
          ? res.body
          : undefined;
      },
      { ...WAIT, description: `article ${id} with ${JSON.stringify(expected)}` },
    );
  }

  /**
   * Conflicts made as they happen at sea: documents reach the ship, its link is cut, shore and
   * crew both edit them, the link comes back.
   */
  async function conflictsFrom(ship: 'ship-a' | 'ship-b', count: number): Promise<Conflict[]> {
    const crew = ship === 'ship-a' ? shipA : shipB;
    const docs = [];
    for (let i = 0; i < count; i += 1) {
      docs.push(await create(master, { title: `base ${i}`, body: `body ${i}` }));
    }
    for (const doc of docs) await arrives(crew, doc.id, { title: doc.data.title as string });
    fleet.cut(ship);
    for (const [i, doc] of docs.entries()) {
      expect(
        (
          await master.patch(`/content/article/${doc.id}?locale=en`, {
            data: { title: `shore ${i}` },
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await crew.patch(`/content/article/${doc.id}?locale=en`, {
            data: { title: `sea ${i}`, body: `sea body ${i}` },
          })
        ).status,
      ).toBe(200);
    }
    fleet.restore(ship);
    const ids = new Set(docs.map((d) => d.id));
    return waitFor(
      async () => {
        const res = await master.get<{ items: Conflict[] }>(
          `/offline-sync/conflicts?status=open&ship=${ship}&pageSize=200`,
        );
        const found = res.body.items.filter((c) => ids.has(c.documentId));
        return found.length === count ? found : undefined;
      },
      { ...WAIT, description: `${count} open conflict(s) from ${ship}` },
    );
  }

  async function converged(): Promise<void> {
    await waitFor(
      async () => {
        const sums = await Promise.all(
          [fleet.master, ...Object.values(fleet.ships)].map(
            async (node) =>
              (await fleet.api(node).get<{ checksum: string }>('/offline-sync/checksum')).body
                .checksum,
          ),
        );
        return sums.every((sum) => sum === sums[0]);
      },
      { ...WAIT, description: 'equal content checksums on every node' },
    );
  }

  it('signs in with an API key and shows its role', async () => {
    await page.goto(url('/'));
    await shot('sign-in');
    await page.getByLabel('API key').fill('not-a-key-of-this-master');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await signIn(page, OPERATOR_KEY);
    expect(await page.getByTestId('role').textContent()).toBe('operator');
    // The key is in session storage, never in the address.
    expect(page.url()).not.toContain(OPERATOR_KEY);
  });

  it('shows a conflict made by a real ship edit and resolves it field by field', async () => {
    const [conflict] = await conflictsFrom('ship-a', 1);
    await page.goto(url('/conflicts'));
    await page.getByRole('link', { name: new RegExp(conflict.documentId.slice(-12)) }).click();
    await page.getByTestId('field-title').waitFor();
    expect(await page.getByTestId('field-title').getAttribute('data-differs')).toBe('true');
    await shot('conflict');
    // title: the ship's; body: edited by the operator.
    await page.getByRole('radiogroup', { name: 'Value of title' }).getByText('Ship').click();
    await page.getByRole('radiogroup', { name: 'Value of body' }).getByText('Edit').click();
    await page.getByLabel('Edited value of body').fill('written on shore from both');
    await page.getByRole('button', { name: 'Resolve with the merged document' }).click();
    await page.getByTestId('resolution').waitFor();
    expect(await page.getByTestId('conflict-status').textContent()).toBe('resolved');
    const merged = { title: 'sea 0', body: 'written on shore from both' };
    await arrives(master, conflict.documentId, merged);
    await arrives(shipA, conflict.documentId, merged);
    await arrives(shipB, conflict.documentId, merged);
    await converged();
  });

  it('tells a second tab that someone else resolved the conflict first', async () => {
    const [conflict] = await conflictsFrom('ship-a', 1);
    const second = await context.newPage();
    // Each tab signs in on its own: the key lives in the tab's session storage.
    await signIn(second, OPERATOR_KEY);
    await page.goto(url(`/conflicts/${conflict.id}`));
    await second.goto(url(`/conflicts/${conflict.id}`));
    await page.getByRole('button', { name: 'Keep master' }).click();
    await page.getByTestId('resolution').waitFor();
    await second.getByRole('button', { name: 'Keep ship' }).click();
    await second.getByTestId('resolved-elsewhere').waitFor();
    expect(await second.getByTestId('resolved-elsewhere').textContent()).toMatch(
      /already resolved \(keep-master/,
    );
    await shot('conflict-resolved-elsewhere', second);
    await second.close();

    // The losing side (the crew's) comes back as a new, recorded version.
    await page.getByRole('button', { name: "Restore the ship's side as a new version" }).click();
    await page.getByTestId('restoration').waitFor();
    expect(await page.getByTestId('restoration').textContent()).toMatch(
      /ship's side was restored as version 4 by master:operator/,
    );
    await arrives(shipA, conflict.documentId, { title: 'sea 0' });
    await converged();
  });

  it('resolves 20 selected conflicts at once', async () => {
    const conflicts = await conflictsFrom('ship-b', 20);
    await page.goto(url('/conflicts?status=open&ship=ship-b'));
    await page.getByTestId('conflict-row').nth(19).waitFor();
    await shot('conflicts');
    await page.getByLabel('Select every open conflict on this page').check();
    await page.getByRole('button', { name: 'Keep ship for all' }).click();
    await page.getByText('20 conflict(s) resolved (keep-ship)').waitFor();
    for (const conflict of conflicts) {
      const res = await master.get<Conflict>(`/offline-sync/conflicts/${conflict.id}`);
      expect(res.body.status).toBe('resolved');
    }
    await converged();
  });

  it('retries a dead letter and shows what became of it', async () => {
    const kafka = new Kafka({
      clientId: 'console-test',
      brokers: fleet.kafka.brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: fleet.topics.shipUpdates,
      messages: [{ key: 'ship-a', value: '{"not": "an envelope"' }],
    });
    await producer.disconnect();
    await page.goto(url('/dead-letters'));
    const letter = page.getByTestId('dead-letter').first();
    await letter.waitFor({ timeout: 60_000 });
    await letter.getByRole('button').first().click();
    await shot('dead-letters');
    await letter.getByRole('button', { name: 'Retry now' }).click();
    // What the retry answered; the list reloads after it, so its first row may be another letter.
    const retried = page.getByText(/^Retried: /);
    await retried.waitFor();
    expect(await retried.textContent()).toMatch(/^Retried: (retrying|exhausted)$/);
  });

  it('shows a ship going offline when its link is cut, and coming back', async () => {
    await page.goto(url('/fleet'));
    const status = page.getByTestId('ship-ship-a').getByTestId('ship-status');
    await waitFor(async () => (await status.textContent()) === 'online', {
      ...WAIT,
      description: 'ship-a online on the fleet page',
    });
    await shot('fleet');
    fleet.cut('ship-a');
    await waitFor(async () => (await status.textContent()) === 'offline', {
      ...WAIT,
      description: 'ship-a offline on the fleet page',
    });
    fleet.restore('ship-a');
    await waitFor(async () => (await status.textContent()) === 'online', {
      ...WAIT,
      description: 'ship-a back online on the fleet page',
    });
    // The search asks the master for matching ids; each row counts its ship's open conflicts.
    await page.getByLabel('Ship id contains').fill('ship-b');
    await page.getByTestId('ship-ship-a').waitFor({ state: 'detached' });
    const shipB = page.getByTestId('ship-ship-b');
    expect(await shipB.getByTestId('ship-open-conflicts').textContent()).toMatch(/^\d+$/);
  });

  it('browses content, a document revisions and its open conflict', async () => {
    const [conflict] = await conflictsFrom('ship-a', 1);
    await page.goto(url('/content?type=article&locale=en'));
    await page.getByRole('link', { name: conflict.documentId }).click();
    await page.getByTestId('revision').nth(1).waitFor();
    await page.getByTestId('document-conflict').waitFor();
    await shot('document');
    await page.getByTestId('document-conflict').getByRole('link').click();
    await page.getByTestId('field-title').waitFor();
    // Readable on a tablet too.
    await page.setViewportSize({ width: 768, height: 1024 });
    await shot('conflict-tablet');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows a viewer no action, and the API refuses its writes anyway', async () => {
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const view = await viewer.newPage();
    await signIn(view, VIEWER_KEY);
    expect(await view.getByTestId('role').textContent()).toBe('viewer');
    const [conflict] = await conflictsFrom('ship-a', 1);
    await view.goto(url('/conflicts'));
    await view.getByTestId('conflict-row').first().waitFor();
    expect(await view.getByRole('checkbox').count()).toBe(0);
    await view.goto(url(`/conflicts/${conflict.id}`));
    await view.getByTestId('field-title').waitFor();
    expect(await view.getByRole('button', { name: /Keep|Resolve|Restore/ }).count()).toBe(0);
    const refused = await fleet
      .api(fleet.master, VIEWER_KEY)
      .post(`/offline-sync/conflicts/${conflict.id}/resolve`, { strategy: 'keep-ship' });
    expect(refused.status).toBe(403);
    await viewer.close();
  });
});
