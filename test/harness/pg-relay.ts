import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Client } from 'pg';
import { waitFor } from './test-infra';

/**
 * A relay in front of PostgreSQL that can hold what the server sends on the connections opened
 * while it holds, then deliver it in one write: a new connection's "ready" and its termination
 * then reach the client in one read, after its pool has handed it out.
 */
export class PgRelay {
  private holding = false;
  private readonly held: Buffer[] = [];
  private heldClient: Socket | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(databaseUrl: string): Promise<PgRelay> {
    const target = new URL(databaseUrl);
    let relay: PgRelay | null = null;
    const server = createServer((client) => relay?.accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('relay has no port');
    const relayed = new URL(databaseUrl);
    relayed.hostname = '127.0.0.1';
    relayed.port = String(address.port);
    relay = new PgRelay(server, relayed.toString());
    return relay;
  }

  /** Holds what the server sends on connections opened from now on. */
  hold(): void {
    this.holding = true;
  }

  heldBytes(): Buffer {
    return Buffer.concat(this.held);
  }

  /** Delivers what was held, in one write. */
  release(): void {
    this.holding = false;
    this.heldClient?.write(this.heldBytes());
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, target: URL): void {
    const upstream = connect(Number(target.port), target.hostname);
    const hold = this.holding;
    if (hold) this.heldClient = client;
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => (hold ? undefined : client.destroy()));
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => (hold ? this.held.push(chunk) : client.write(chunk)));
  }
}

/** Backends of `admin`'s database other than its own connection. */
export async function databaseBackends(admin: Client): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return rows.map((r) => r.pid);
}

/** Ends these backends as an administrator would, and waits until they are gone. */
export async function terminateBackends(admin: Client, pids: number[]): Promise<void> {
  for (const pid of pids) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  await waitFor(async () => (await databaseBackends(admin)).every((pid) => !pids.includes(pid)), {
    description: `backends ${pids.join(', ')} gone`,
  });
}

/**
 * Runs `query` on a connection opened through the held relay, and terminates that connection
 * right after its handshake, both delivered to the client together.
 */
export async function terminatedAtHandshake<T>(
  relay: PgRelay,
  admin: Client,
  query: () => Promise<T>,
): Promise<{ result: Promise<T> }> {
  relay.hold();
  const running = query();
  running.catch(() => undefined);
  const [pid] = await waitFor(
    async () => {
      const found = await databaseBackends(admin);
      return found.length > 0 ? found : undefined;
    },
    { description: 'the new connection at the server' },
  );
  // ReadyForQuery ('Z', length 5): the handshake is over and held.
  await waitFor(() => relay.heldBytes().includes(Buffer.from([0x5a, 0, 0, 0, 5])), {
    description: 'the end of the handshake held',
  });
  await terminateBackends(admin, [pid]);
  await waitFor(() => relay.heldBytes().includes('57P01'), {
    description: 'the termination held too',
  });
  relay.release();
  return { result: running };
}
