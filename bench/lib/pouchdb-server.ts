/**
 * pouchdb-server's HTTP layer (express-pouchdb over PouchDB on LevelDB) as a process of its own,
 * the peer the benchmark compares with. Usage: pouchdb-server.ts <port> <data dir>; prints
 * "listening" once it serves.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

interface Listener {
  listen(port: number, host: string, callback: () => void): void;
}

const load = createRequire(__filename);
const [port, dir] = process.argv.slice(2);
const PouchDB = (load('pouchdb') as { defaults(options: object): unknown }).defaults({
  prefix: `${path.resolve(dir)}/`,
});
const expressPouchDb = load('express-pouchdb') as (db: unknown, options: object) => Listener;
const app = expressPouchDb(PouchDB, {
  mode: 'minimumForPouchDB',
  inMemoryConfig: true,
  logPath: path.join(dir, 'log.txt'),
});
app.listen(Number(port), '127.0.0.1', () => console.log('listening'));
