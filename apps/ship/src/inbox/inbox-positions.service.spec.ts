import { DataSource } from 'typeorm';
import { SHIP_ENTITIES } from '../core/database/ship-entities';
import { SHIP_MIGRATIONS } from '../core/database/ship-migrations';
import { SyncMetaService } from '../core/database/sync-meta.service';
import type { ShipDatabase } from '../core/database/ship-database.service';
import { InboxPositionEntity } from './entities/inbox-position.entity';
import { InboxPositionsService } from './inbox-positions.service';

/** Positions and sync_meta values on a real SQLite database (in memory) with the ship's schema. */
describe('InboxPositionsService.advance and SyncMetaService.set', () => {
  let db: DataSource;
  const positions = new InboxPositionsService(undefined as unknown as ShipDatabase);
  const meta = new SyncMetaService();

  beforeEach(async () => {
    db = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: SHIP_ENTITIES,
      migrations: SHIP_MIGRATIONS,
      migrationsRun: true,
    });
    await db.initialize();
  });

  afterEach(() => db.destroy());

  const stored = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await db.manager.find(InboxPositionEntity)).map((row) => [
        `${row.topic}/${row.partition}`,
        row.nextOffset,
      ]),
    );

  it('stores the offset after the last one applied, per topic and partition', async () => {
    await positions.advance(db.manager, 'master-updates', 0, '41');
    await positions.advance(db.manager, 'master-updates', 1, '7');
    await positions.advance(db.manager, 'master-updates', 0, '99');
    expect(await stored()).toEqual({ 'master-updates/0': '100', 'master-updates/1': '8' });
  });

  it('never moves backwards, comparing offsets as numbers (not text)', async () => {
    await positions.advance(db.manager, 'master-updates', 0, '99');
    await positions.advance(db.manager, 'master-updates', 0, '8');
    await positions.advance(db.manager, 'master-updates', 0, '999');
    await positions.advance(db.manager, 'master-updates', 0, '100');
    expect(await stored()).toEqual({ 'master-updates/0': '1000' });
  });

  it('keeps offsets past 2^53 exact', async () => {
    await positions.advance(db.manager, 't', 0, '9007199254740993');
    await positions.advance(db.manager, 't', 0, '9007199254740992');
    expect(await stored()).toEqual({ 't/0': '9007199254740994' });
  });

  it('sets a sync_meta value, replacing the one before', async () => {
    await meta.set(db.manager, 'last_seq', '5');
    await meta.set(db.manager, 'last_seq', '12');
    await meta.set(db.manager, 'last_pull_at', '2026-12-04T00:00:00.000Z');
    expect(await meta.getAll(db.manager)).toEqual({
      last_seq: '12',
      last_pull_at: '2026-12-04T00:00:00.000Z',
    });
  });
});
