import type { ApiClient } from './api-client';
import type { Conflict } from './final-state';
import type { HistoryWriter } from './history';
import type { Prng } from './prng';
import {
  ContentModel,
  mergeData,
  newData,
  pickStrategy,
  planOperation,
  type PlannedRequest,
} from './workload';

export interface WorkloadOptions {
  ships: string[];
  masters: string[];
  /** Crew members writing on each ship at once. */
  crewPerShip: number;
  /** Operators writing on the masters at once. */
  operators: number;
  /** Mean pause between two requests of one writer (exponential). */
  thinkMs: number;
  /** Mean pause between two rounds of the conflict resolver. */
  resolverThinkMs: number;
}

/**
 * The workload of a run: crews writing on every ship, operators writing on the masters (either
 * replica), and an operator resolving open conflicts with every strategy, all the time, whatever
 * the faults. Each writer draws from its own seeded stream; what they learn (documents created
 * and deleted) is shared.
 */
export class WorkloadRunner {
  readonly model = new ContentModel();
  private stopping = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly prng: Prng,
    private readonly api: ApiClient,
    private readonly history: HistoryWriter,
    private readonly options: WorkloadOptions,
  ) {}

  /** The hot documents: created on the master before the run, edited by everyone during it. */
  async seedHotDocuments(): Promise<void> {
    const prng = this.prng.fork('seed');
    const master = this.options.masters[0];
    const hot: Array<[string, string]> = [
      ['article', 'en'],
      ['article', 'fr'],
      ['author', ''],
      ['checklist', ''],
      ['checklist', ''],
      ['notice', 'en'],
      ['bulletin', ''],
      ['logbook', ''],
    ];
    for (const [type, locale] of hot) {
      const id = this.api.reserveId();
      const token = `${master}#${id}`;
      const data = newData(prng, type, token, this.model);
      const answer = await this.api.call<{ id: string }>(
        'setup',
        master,
        'POST',
        `/api/content/${type}`,
        { locale, data },
        { id },
      );
      if (answer.status !== 201 || !answer.body) {
        throw new Error(`seeding ${type} on ${master} answered ${answer.status ?? answer.error}`);
      }
      this.model.add({
        type,
        id: answer.body.id,
        locale,
        by: master,
        at: this.history.now(),
        hot: true,
        deleted: false,
      });
    }
  }

  start(): void {
    const { ships, masters, crewPerShip, operators } = this.options;
    for (const ship of ships) {
      for (let i = 1; i <= crewPerShip; i += 1) {
        this.loops.push(this.writer(`crew-${ship}-${i}`, 'crew', () => ship));
      }
    }
    for (let i = 1; i <= operators; i += 1) {
      const prng = this.prng.fork(`operator-${i}-node`);
      this.loops.push(this.writer(`operator-${i}`, 'operator', () => prng.pick(masters)));
    }
    this.loops.push(this.resolver());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  private async writer(
    client: string,
    role: 'crew' | 'operator',
    nodeOf: () => string,
  ): Promise<void> {
    const prng = this.prng.fork(client);
    while (!this.stopping) {
      await sleep(prng.exponential(this.options.thinkMs));
      if (this.stopping) break;
      const node = nodeOf();
      const id = this.api.reserveId();
      const request = planOperation(
        prng,
        this.model,
        role,
        node,
        `${node}#${id}`,
        this.history.now(),
      );
      if (!request) continue;
      const answer = await this.api.call<Record<string, unknown>>(
        client,
        node,
        request.method,
        request.path,
        request.body,
        { id },
      );
      this.learn(node, request, answer.status, answer.body);
    }
  }

  private learn(
    node: string,
    request: PlannedRequest,
    status: number | null,
    body: Record<string, unknown> | undefined,
  ): void {
    if (status === null || status < 200 || status >= 300) return;
    if (request.learn?.kind === 'create' && body && typeof body.id === 'string') {
      this.model.add({
        type: request.learn.type,
        id: body.id,
        locale: request.learn.locale,
        by: node,
        at: this.history.now(),
        hot: false,
        deleted: false,
      });
    }
    if (request.learn?.kind === 'delete') {
      const url = new URL(request.path, 'http://node');
      const [, , type, id] = url.pathname.split('/').filter(Boolean);
      this.model.markDeleted(type, id, url.searchParams.get('locale') ?? '');
    }
    if (request.path === '/api/content/_bulk' && body && Array.isArray(body.results)) {
      for (const result of body.results as Array<{ type: string; id: string; locale: string }>) {
        this.model.add({
          type: result.type,
          id: result.id,
          locale: result.locale,
          by: node,
          at: this.history.now(),
          hot: false,
          deleted: false,
        });
      }
    }
  }

  /** An operator resolving open conflicts, a few at a time, with every strategy. */
  private async resolver(): Promise<void> {
    const prng = this.prng.fork('resolver');
    while (!this.stopping) {
      await sleep(prng.exponential(this.options.resolverThinkMs));
      if (this.stopping) break;
      await resolveOpenConflicts(prng, this.api, this.options.masters, 'resolver', 3);
    }
  }
}

/**
 * Reads the open conflicts from one master replica and resolves up to `limit` of them (all
 * when `limit` is null) with a strategy drawn for each. Returns how many were open.
 */
export async function resolveOpenConflicts(
  prng: Prng,
  api: ApiClient,
  masters: string[],
  client: string,
  limit: number | null,
): Promise<number> {
  const master = prng.pick(masters);
  const open = await api.call<{ items: Conflict[]; total: number }>(
    client,
    master,
    'GET',
    `/api/offline-sync/conflicts?status=open&pageSize=${limit === null ? 200 : 20}`,
  );
  if (open.status !== 200 || !open.body) return -1;
  const items = limit === null ? open.body.items : open.body.items.slice(0, limit);
  for (const conflict of items) {
    const strategy = pickStrategy(prng);
    const id = api.reserveId();
    const body =
      strategy === 'merge'
        ? {
            strategy,
            mergeData: mergeData(
              prng,
              conflict.type,
              conflict.master.data,
              conflict.ship.data,
              `${master}#${id}`,
            ),
          }
        : { strategy };
    await api.call(
      client,
      prng.pick(masters),
      'POST',
      `/api/offline-sync/conflicts/${conflict.id}/resolve`,
      body,
      { id },
    );
  }
  return open.body.total;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
