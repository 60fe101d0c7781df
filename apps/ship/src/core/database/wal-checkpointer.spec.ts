import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalCheckpointer } from './wal-checkpointer';

/** A real SQLite file whose connection never checkpoints: only the worker keeps the log short. */
describe('WalCheckpointer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const open = (name: string): { db: Database.Database; file: string } => {
    const file = join(dir, name);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    return { db, file };
  };
  /** 16 MB of rows, 1 MB a transaction, a short pause between them. */
  const write = async (db: Database.Database): Promise<void> => {
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    const body = 'x'.repeat(1024);
    for (let tx = 0; tx < 16; tx += 1) {
      db.transaction(() => {
        for (let i = 0; i < 1024; i += 1) insert.run(body);
      })();
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
  };
  const walBytes = (file: string): number => statSync(`${file}-wal`).size;

  it('keeps the log near its threshold while the app writes', async () => {
    const { db, file } = open('checkpointed.db');
    const checkpointer = new WalCheckpointer({
      filename: file,
      intervalMs: 20,
      minWalBytes: 2 * 1024 * 1024,
    });
    checkpointer.start();
    try {
      await write(db);
    } finally {
      await checkpointer.stop();
    }
    expect(walBytes(file)).toBeLessThan(6 * 1024 * 1024);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 16 * 1024 });
    db.close();
  });

  it('is what bounds it: without it the log takes every write', async () => {
    const { db, file } = open('unchecked.db');
    await write(db);
    expect(walBytes(file)).toBeGreaterThan(16 * 1024 * 1024);
    db.close();
  });
});
