import * as path from 'node:path';
import { Fleet, OPERATOR_KEY } from '../harness/fleet';
import { REPO_ROOT } from '../harness/infra';
import { documentPath, readCommitted } from '../../libs/api-client/codegen/api-contract';
import {
  loadExceptions,
  operationsOf,
  runSchemathesis,
  type KnownException,
  type RunResult,
} from './schemathesis';

/**
 * Both apps' APIs fuzzed by Schemathesis from their committed OpenAPI documents, as real
 * processes on real Kafka, PostgreSQL and SQLite, with an operator key: no answer is a 5xx, and
 * every answer matches the document (status, content type, headers, body). The few known
 * exceptions are listed, each with its reason, in schemathesis-exceptions.json.
 */

const CONTENT_TYPES = JSON.stringify({
  article: { localized: true, policy: 'manual' },
  notice: { localized: false, policy: 'last-write-wins' },
});

const APPS = ['master', 'ship'] as const;
const OUT_DIR = path.join(REPO_ROOT, '.run', 'schemathesis');
const EXCEPTIONS = loadExceptions(path.join(__dirname, 'schemathesis-exceptions.json'));

function excused(exceptions: KnownException[], operation: string, check: string): boolean {
  return exceptions.some((e) => e.operation === operation && e.check === check);
}

describe('the APIs under Schemathesis (real processes)', () => {
  let fleet: Fleet;
  const runs: Partial<Record<(typeof APPS)[number], RunResult>> = {};

  beforeAll(async () => {
    fleet = await Fleet.start({ ships: ['ship-a'], contentTypes: CONTENT_TYPES });
    for (const app of APPS) {
      const node = app === 'master' ? fleet.master : fleet.ships['ship-a'];
      runs[app] = await runSchemathesis({
        name: app,
        documentFile: documentPath(app),
        baseUrl: node.url,
        apiKey: OPERATOR_KEY,
        outDir: OUT_DIR,
      });
    }
  }, 1_200_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  describe.each(APPS)('%s', (app) => {
    const url = (route: string): string =>
      `${(app === 'master' ? fleet.master : fleet.ships['ship-a']).url}${route}`;
    const send = async (method: string, route: string, body?: string) => {
      const response = await fetch(url(route), {
        method,
        headers: { 'content-type': 'application/json', 'x-api-key': OPERATOR_KEY },
        body,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    it('answers a body nested 2,000 levels deep with a 400 naming the field', async () => {
      for (const deep of [
        '['.repeat(2000) + ']'.repeat(2000),
        '{"a":'.repeat(2000) + '1' + '}'.repeat(2000),
      ]) {
        const answer = await send('POST', '/api/content/notice', `{"data":{"text":${deep}}}`);
        expect(answer.status).toBe(400);
        expect(answer.body.errors).toEqual([
          { field: 'data.text', reason: 'is nested more than 100 levels deep' },
        ]);
      }
    });

    it('answers a NUL character in a query parameter with a 400 naming it', async () => {
      const route =
        app === 'master'
          ? '/api/offline-sync/conflicts?ship=a%00b'
          : '/api/content/notice?locale=e%00n';
      const answer = await send('GET', route);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        {
          field: app === 'master' ? 'ship' : 'locale',
          reason: 'must not contain a NUL character (\\u0000)',
        },
      ]);
    });

    it('keeps document fields named toString and valueOf', async () => {
      const data = { text: 'Muster at 10', toString: 'kept', valueOf: { hasOwnProperty: 1 } };
      const answer = await send('POST', '/api/content/notice', JSON.stringify({ data }));
      expect(answer.status).toBe(201);
      expect(answer.body.data).toEqual(data);
    });

    it('serves the committed document at /api/docs-json', async () => {
      const node = app === 'master' ? fleet.master : fleet.ships['ship-a'];
      const served = await (await fetch(`${node.url}/api/docs-json`)).json();
      expect(served).toEqual(JSON.parse(readCommitted(documentPath(app))));
    });

    it('ran without errors', () => {
      const run = runs[app];
      expect(run?.errors).toEqual([]);
    });

    it.each(operationsOf(documentPath(app)))('%s', (operation) => {
      const run = runs[app];
      if (!run) throw new Error(`Schemathesis did not run on the ${app}`);
      expect(run.tested.has(operation)).toBe(true);
      const unexpected = run.failures
        .filter((f) => f.operation === operation && !excused(EXCEPTIONS, operation, f.check))
        .map((f) => `${f.check}: ${f.message} (see .run/schemathesis/${app}.log)`);
      expect(unexpected).toEqual([]);
    });
  });
});
