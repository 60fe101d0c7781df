import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../test/harness/free-port';
import { REPO_ROOT } from '../../test/harness/infra';
import { LinkProxy } from '../../test/harness/link-proxy';
import { onInterrupt } from '../lib/cleanup';
import { drive, log, memoryOf, round, sizedData, smallData } from '../lib/measure';
import type { Row, Scenario, ScenarioResult } from '../lib/scenario';

const TITLE = '9 peer: PouchDB';

interface PouchDoc {
  _id: string;
  _rev?: string;
  [field: string]: unknown;
}

interface PouchDatabase {
  put(doc: PouchDoc): Promise<{ rev: string }>;
  get(id: string): Promise<PouchDoc>;
  replicate: { to(target: PouchDatabase): Promise<{ docs_written: number }> };
  info(): Promise<{ doc_count: number }>;
  close(): Promise<void>;
}

type PouchConstructor = new (name: string) => PouchDatabase;

const load = createRequire(__filename);

/**
 * The same kind of replication by PouchDB 9 (LevelDB) to express-pouchdb (pouchdb-server's HTTP
 * layer) over the same link proxy, defaults (batches of 100): small documents pushed in one
 * replication, then one-field edits of 2 KB documents, with the bytes crossing the link.
 */
export const peer: Scenario = {
  name: 'peer',
  title: TITLE,
  async run(context): Promise<ScenarioResult> {
    const count = context.sizes.peerDocuments;
    const edits = Math.min(count, context.sizes.wireEdits);
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-pouch-'));
    const port = await freePort();
    const server = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        path.join(__dirname, '..', 'lib', 'pouchdb-server.ts'),
        String(port),
        dir,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const proxy = new LinkProxy({ host: '127.0.0.1', port });
    const forget = onInterrupt(() => Promise.resolve(server.kill('SIGTERM')));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('exit', (code) => reject(new Error(`pouchdb server exited with ${code}`)));
        server.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('listening')) resolve();
        });
      });
      const proxyPort = await proxy.start();
      const PouchDB = load('pouchdb') as PouchConstructor;
      const local = new PouchDB(path.join(dir, 'ship'));
      const remote = new PouchDB(`http://127.0.0.1:${proxyPort}/fleet`);
      // The remote database exists before anything is counted.
      await remote.info();

      const seedStart = Date.now();
      await drive((i) => local.put({ _id: `doc-${i}`, ...smallData(i, 'pouch') }), {
        concurrency: 16,
        count,
      });
      const writesPerSec = (count * 1000) / (Date.now() - seedStart);
      proxy.resetStats();
      const pushStart = Date.now();
      await local.replicate.to(remote);
      const pushMs = Date.now() - pushStart;
      const push = proxy.stats();
      log(`  pushed ${count} documents in ${pushMs} ms`);

      const ids = Array.from({ length: edits }, (_, i) => `big-${i}`);
      await drive((i) => local.put({ _id: ids[i], ...sizedData(i, 2048) }), {
        concurrency: 16,
        count: edits,
      });
      await local.replicate.to(remote);
      await drive(
        async (i) => {
          const doc = await local.get(ids[i]);
          await local.put({ ...doc, status: `edited ${i}` });
        },
        { concurrency: 16, count: edits },
      );
      proxy.resetStats();
      const editStart = Date.now();
      await local.replicate.to(remote);
      const editMs = Date.now() - editStart;
      const edit = proxy.stats();
      const serverMem = memoryOf(server.pid);
      await local.close();
      await remote.close();

      const ours = context.results.backlog?.rows.find((r) => r.metric.startsWith('catch-up rate'));
      const oursBytes = context.results['wire-bytes']?.rows.find((r) =>
        r.metric.includes('batch 100, gzip'),
      );
      const rows: Row[] = [
        {
          scenario: TITLE,
          metric: 'PouchDB push of new small documents',
          value: round((count * 1000) / pushMs),
          unit: 'docs/s',
          note: `${count} documents; ours (scenario 2 catch-up): ${ours?.value ?? 'not run'} changes/s; ${round((push.up + push.down) / count)} B/doc on the wire`,
        },
        {
          scenario: TITLE,
          metric: 'PouchDB one-field edit of a 2 KB document',
          value: round(edit.up / edits),
          unit: 'B up/edit',
          note: `${round(edit.down / edits)} B down/edit; ${round((edits * 1000) / editMs)} edits/s; ours (scenario 5, batch 100, gzip): ${oursBytes?.value ?? 'not run'} B up/edit`,
        },
        {
          scenario: TITLE,
          metric: 'PouchDB local writes',
          value: round(writesPerSec),
          unit: 'writes/s',
          note: `pouchdb-server (express-pouchdb) peak RSS ${serverMem?.peakMb ?? '?'} MB`,
        },
      ];
      return {
        rows,
        memory: serverMem
          ? [{ node: 'pouchdb-server', role: 'peer', peakMb: serverMem.peakMb }]
          : [],
        details: { count, edits, pushMs, push, editMs, edit, writesPerSec },
      };
    } finally {
      await proxy.stop();
      server.kill('SIGTERM');
      forget();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
