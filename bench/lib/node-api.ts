import { Agent, request } from 'node:http';
import type { NodeProcess } from '../../test/harness/node-process';
import { BENCH_KEY } from './bench-fleet';

/**
 * Kept-alive connections, as a crew app holds them; node:http costs the benchmark's own process
 * less CPU per request than fetch, and that process shares the machine with the fleet it measures.
 */
const AGENT = new Agent({ keepAlive: true, maxSockets: 256 });

function httpRequest(
  url: string,
  method: string,
  body: string | undefined,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: AGENT,
        headers: {
          'x-api-key': BENCH_KEY,
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface Doc {
  id: string;
  version: number;
  data: Record<string, unknown>;
  sync?: { state: string; baseVersion: number };
}

export type BulkWrite =
  | { op: 'create'; type: 'item'; data: Record<string, unknown>; id?: string }
  | { op: 'update'; type: 'item'; id: string; data: Record<string, unknown> }
  | { op: 'delete'; type: 'item'; id: string };

export interface ShipStatus {
  online: boolean;
  pending: number;
  awaitingOutcome: number;
  failed: number;
  queue: Record<string, number>;
}

/** The public REST API of one node, as a crew app or an operator uses it. */
export class BenchApi {
  constructor(private readonly node: NodeProcess) {}

  private async request<T>(method: string, route: string, body?: unknown): Promise<T> {
    const { status, text } = await httpRequest(
      `${this.node.url}/api${route}`,
      method,
      body === undefined ? undefined : JSON.stringify(body),
    );
    if (status < 200 || status >= 300) {
      throw new Error(`${this.node.name} ${method} ${route} → ${status}: ${text}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  create(data: Record<string, unknown>, id?: string): Promise<Doc> {
    return this.request<Doc>('POST', '/content/item', { data, ...(id ? { id } : {}) });
  }

  /** Many writes in one request (ship only): applied in order in one transaction, all or none. */
  async bulk(writes: BulkWrite[]): Promise<Doc[]> {
    const body = await this.request<{ results: Doc[] }>('POST', '/content/_bulk', { writes });
    return body.results;
  }

  update(id: string, data: Record<string, unknown>): Promise<Doc> {
    return this.request<Doc>('PATCH', `/content/item/${id}`, { data });
  }

  async get(id: string): Promise<Doc | null> {
    try {
      return await this.request<Doc>('GET', `/content/item/${id}`);
    } catch {
      return null;
    }
  }

  async count(): Promise<number> {
    const page = await this.request<{ total: number }>('GET', '/content/item?page=1&pageSize=1');
    return page.total;
  }

  status(): Promise<ShipStatus> {
    return this.request<ShipStatus>('GET', '/offline-sync/status');
  }

  /** Sent and answered: nothing queued, nothing waiting for an outcome. */
  async settled(): Promise<boolean> {
    const status = await this.status();
    return status.pending === 0 && status.awaitingOutcome === 0;
  }
}
