import type { INestApplication } from '@nestjs/common';
import { ShipConnection } from '../core/database/ship-connection';
import type { ShipDb } from '../core/database/ship-tables';
import { rawQuery } from '../testing/ship-test-database';
import { api, createTestKeys, shipEnv, startShip } from '../testing/ship-test-kit';

type HealthBody = {
  status: string;
  error?: Record<string, { status: string; message?: string }>;
  details: Record<string, { status: string; message?: string }>;
};

type StatusBody = {
  database: {
    client: string;
    bytes: number;
    pageLimit: number | null;
    maxBytes: number | null;
    full: { since: string; message: string } | null;
  };
};

/** 16 KiB of text: a write that needs pages of its own. */
const BIG = 'x'.repeat(16 * 1024);

/**
 * A ship whose SQLite file cannot grow (PRAGMA max_page_count, as a full disk would leave it):
 * crew writes answer 507 with a clear message and leave nothing of themselves behind, readiness
 * says the database is full, status shows the size and the limit; once the limit is raised,
 * readiness is green again and writes go through, durably (they are there after a restart).
 * No broker: the ship serves its crew without one.
 */
describe('SQLite at its max_page_count answers 507 and resumes', () => {
  let env: Record<string, string>;
  let app: INestApplication | undefined;
  let dataSource: ShipDb;

  beforeAll(async () => {
    env = shipEnv(createTestKeys(), ['127.0.0.1:1'], { SYNC_SHIP_ID: 'ship-full' });
    app = await startShip(env);
    dataSource = app.get(ShipConnection).db;
  });

  afterAll(async () => {
    await app?.close();
  });

  const ready = async () => {
    const response = await api(app!, null).get('/api/offline-sync/health/ready');
    return { status: response.status, body: response.body as HealthBody };
  };
  const notes = async (): Promise<string[]> => {
    const page = await api(app!).get('/api/content/note?pageSize=500').expect(200);
    return (page.body as { items: { data: { text: string } }[] }).items
      .map((item) => item.data.text.slice(0, 40))
      .sort();
  };
  const queueTotal = async (): Promise<number> =>
    ((await api(app!).get('/api/offline-sync/queue').expect(200)).body as { total: number }).total;

  it('answers 507 while full, says so in readiness and status, and takes writes again after', async () => {
    await api(app!)
      .post('/api/content/note')
      .send({ data: { text: 'before' } })
      .expect(201);
    const before = await notes();
    expect((await ready()).status).toBe(200);

    // The file may grow by a few pages only: big writes soon find no room.
    const [{ page_count: pages }] = await rawQuery<{ page_count: number }>(
      dataSource,
      'PRAGMA page_count',
    );
    const limit = pages + 4;
    await rawQuery(dataSource, `PRAGMA max_page_count = ${limit}`);
    let refused: { status: number; body: Record<string, unknown> } | null = null;
    const accepted: string[] = [];
    for (let i = 0; i < 20 && refused === null; i++) {
      const response = await api(app!)
        .post('/api/content/note')
        .send({ data: { text: `fill ${i} ${BIG}` } });
      if (response.status === 201) accepted.push(`fill ${i} ${BIG}`.slice(0, 40));
      else refused = { status: response.status, body: response.body as Record<string, unknown> };
    }
    expect(refused).not.toBeNull();
    expect(refused?.status).toBe(507);
    expect(refused?.body).toMatchObject({
      statusCode: 507,
      error: 'Insufficient Storage',
      message: expect.stringMatching(
        /database is full.*nothing of this request was written/i,
      ) as string,
    });

    // Nothing half-written: a bulk request whose first write fits and second does not.
    const written = await notes();
    const queued = await queueTotal();
    await api(app!)
      .post('/api/content/_bulk')
      .send({
        writes: [
          { op: 'create', type: 'note', data: { text: 'small' } },
          { op: 'create', type: 'note', data: { text: `bulk ${BIG}` } },
        ],
      })
      .expect(507);
    expect(await notes()).toEqual(written);
    expect(await queueTotal()).toBe(queued);
    expect(written).toEqual([...before, ...accepted].sort());

    // Readiness names the database as full; liveness stays green; status shows size and limit.
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.error?.storage).toMatchObject({
      status: 'down',
      message: expect.stringMatching(/database full/i) as string,
    });
    await api(app!, null).get('/api/offline-sync/health/live').expect(200);
    const status = (await api(app!).get('/api/offline-sync/status').expect(200)).body as StatusBody;
    expect(status.database).toMatchObject({
      client: 'sqlite',
      pageLimit: limit,
      full: {
        since: expect.any(String) as string,
        message: expect.stringMatching(/full/) as string,
      },
    });
    expect(status.database.bytes).toBeGreaterThan(0);
    expect(status.database.maxBytes).toBeGreaterThanOrEqual(status.database.bytes);

    // Room again: readiness recovers by itself, and writes go through.
    await rawQuery(dataSource, 'PRAGMA max_page_count = 1073741823');
    const up = await ready();
    expect(up.status).toBe(200);
    expect(up.body.details.storage).toMatchObject({ status: 'up' });
    await api(app!)
      .post('/api/content/note')
      .send({ data: { text: `after ${BIG}` } })
      .expect(201);
    await api(app!)
      .post('/api/content/_bulk')
      .send({ writes: [{ op: 'create', type: 'note', data: { text: 'bulk after' } }] })
      .expect(200);
    const after = await notes();
    const fresh = (await api(app!).get('/api/offline-sync/status').expect(200)).body as StatusBody;
    expect(fresh.database.full).toBeNull();

    // Every answered write is on disk: the same file after a restart holds exactly them.
    await app!.close();
    app = await startShip(env);
    expect(await notes()).toEqual(after);
    expect(after).toEqual([...written, `after ${BIG}`.slice(0, 40), 'bulk after'].sort());
  });
});
