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
