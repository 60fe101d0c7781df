import { createServer, connect, type Server, type Socket } from 'node:net';

export interface LinkSettings {
  /** One-way delay added to every chunk, in ms (a satellite round trip ≈ 600 ms → 300). */
  latencyMs: number;
  /** Bytes per second in each direction; 0 = unlimited. */
  bandwidthBytesPerSec: number;
}

/** Sees every chunk that enters the link, in each direction, before any delay. */
export type LinkTap = (direction: 'up' | 'down', chunk: Buffer) => void;

export interface LinkCounters {
  /** Bytes from the client (the ship) towards the broker. */
  up: number;
  /** Bytes from the broker towards the client. */
  down: number;
  connections: number;
}

/**
 * A TCP proxy standing for a ship's link to shore: it can be cut (open connections reset, new ones
 * refused), restored, stalled (connections stay open but nothing crosses, as when packets are
 * dropped without a reset), slowed to a satellite's bandwidth and delayed by its latency, and it
 * counts the bytes that cross it. The ship process keeps running; only its network path changes.
 */
export class LinkProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private up = true;
  private stalled = false;
  /** Connections accepted while stalled: they reach the target once the link flows again. */
  private readonly waiting = new Set<Socket>();
  /** Per direction of each connection held by a stall: delivers what waits, in order. */
  private readonly releases = new Set<() => void>();
  private settings: LinkSettings = { latencyMs: 0, bandwidthBytesPerSec: 0 };
  private readonly counters: LinkCounters = { up: 0, down: 0, connections: 0 };
  private readonly taps = new Set<LinkTap>();

  constructor(
    private readonly target: { host: string; port: number },
    private listenPort = 0,
  ) {}

  /** Starts listening on 127.0.0.1; resolves to the port. */
  async start(): Promise<number> {
    // Half-open: each direction closes on its own, after what was sent before it (a FIN follows
    // the data, as in TCP).
    const server = createServer({ allowHalfOpen: true }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('proxy has no port');
    this.listenPort = address.port;
    return this.listenPort;
  }

  get port(): number {
    return this.listenPort;
  }

  get address(): string {
    return `127.0.0.1:${this.listenPort}`;
  }

  /** The link goes down: every open connection is reset and new ones are refused at once. */
  cut(): void {
    this.up = false;
    for (const socket of [...this.sockets, ...this.waiting]) socket.resetAndDestroy();
    this.sockets.clear();
    this.waiting.clear();
    this.releases.clear();
  }

  restore(): void {
    this.up = true;
  }

  isUp(): boolean {
    return this.up;
  }

  /**
   * Nothing crosses the link any more, but no connection is closed: senders see their requests
   * go unanswered until their own timeouts fire (a stalled link, a black-holed route). New
   * connections are accepted and held.
   */
  stall(): void {
    this.stalled = true;
    for (const socket of this.sockets) socket.pause();
  }

  /** The link flows again: held bytes are delivered in order, held connections go through. */
  unstall(): void {
    this.stalled = false;
    for (const release of [...this.releases]) release();
    for (const socket of this.sockets) socket.resume();
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const client of waiting) if (!client.destroyed) this.accept(client);
  }

  isStalled(): boolean {
    return this.stalled;
  }

  shape(settings: Partial<LinkSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  /** Calls `tap` with every chunk that crosses the link from now on; returns the way to stop. */
  tap(tap: LinkTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  /** Records every byte that crosses the link from now on, per direction. */
  capture(): { bytes(direction?: 'up' | 'down'): Buffer; stop(): void } {
    const chunks: { direction: 'up' | 'down'; chunk: Buffer }[] = [];
    const stop = this.tap((direction, chunk) => chunks.push({ direction, chunk }));
    return {
      bytes: (direction) =>
        Buffer.concat(
          chunks.filter((c) => !direction || c.direction === direction).map((c) => c.chunk),
        ),
      stop,
    };
  }

  stats(): LinkCounters {
    return { ...this.counters };
  }

  resetStats(): void {
    this.counters.up = 0;
    this.counters.down = 0;
    this.counters.connections = 0;
  }

  async stop(): Promise<void> {
    this.cut();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (!this.up) {
      client.resetAndDestroy();
      return;
    }
    if (this.stalled) {
      client.pause();
      this.waiting.add(client);
      client.once('close', () => this.waiting.delete(client));
      client.on('error', () => client.destroy());
      return;
    }
    this.counters.connections += 1;
    const upstream = connect({
      port: this.target.port,
      host: this.target.host,
      allowHalfOpen: true,
    });
    this.sockets.add(client);
    this.sockets.add(upstream);
    // A reset or an error on one side resets the other; an orderly close travels with the data.
    const reset = (): void => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      for (const socket of [client, upstream]) if (!socket.destroyed) socket.resetAndDestroy();
    };
    const closed = (socket: Socket, hadError: boolean): void => {
      this.sockets.delete(socket);
      if (hadError) reset();
    };
    client.on('error', reset).on('close', (hadError) => closed(client, hadError));
    upstream.on('error', reset).on('close', (hadError) => closed(upstream, hadError));
    this.pipe(client, upstream, 'up');
    this.pipe(upstream, client, 'down');
    // A connection held through a stall was paused.
    client.resume();
  }

  /**
   * Forwards chunks in order, each after the link's latency and no sooner than the bandwidth
   * allows (a chunk's transmission time is added to a per-direction clock). Chunks wait in one
   * queue per direction, served by one timer: timers of different lengths that fall due together
   * run in no set order, and a byte stream must never be reordered.
   */
  private pipe(from: Socket, to: Socket, direction: 'up' | 'down'): void {
    let linkFreeAt = 0;
    let lastDelivery = 0;
    const queue: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | null = null;
    let ended = false;
    // Delivers what is due, in order; a stall holds everything until the link flows again.
    const pump = (): void => {
      timer = null;
      if (this.stalled) {
        this.releases.add(pump);
        return;
      }
      this.releases.delete(pump);
      const now = Date.now();
      while (queue.length > 0 && queue[0].at <= now) {
        const { chunk } = queue.shift() as { at: number; chunk: Buffer };
        if (!to.destroyed) to.write(chunk);
      }
      if (queue.length > 0) timer = setTimeout(pump, queue[0].at - now);
      else if (ended && !to.destroyed) to.end();
    };
    // The sender closed its side: the close crosses the link behind the bytes sent before it.
    from.on('end', () => {
      ended = true;
      if (timer === null && !this.releases.has(pump)) pump();
    });
    // Whatever waits dies with the connection it was going to.
    to.on('close', () => {
      this.releases.delete(pump);
      if (timer) clearTimeout(timer);
      queue.length = 0;
    });
    from.on('data', (chunk: Buffer) => {
      this.counters[direction] += chunk.length;
      for (const tap of this.taps) tap(direction, chunk);
      const now = Date.now();
      const { latencyMs, bandwidthBytesPerSec } = this.settings;
      const sendStart = Math.max(now, linkFreeAt);
      const transmitMs =
        bandwidthBytesPerSec > 0 ? (chunk.length * 1000) / bandwidthBytesPerSec : 0;
      linkFreeAt = sendStart + transmitMs;
      // Never earlier than the chunk before it.
      const deliverAt = Math.max(lastDelivery, linkFreeAt + latencyMs);
      lastDelivery = deliverAt;
      queue.push({ at: deliverAt, chunk });
      // Back-pressure for slow links: hold the sender while more than ~50 ms of data waits to be
      // transmitted (latency alone does not hold it: many chunks may be in flight, as in TCP).
      if (linkFreeAt - now > 50) {
        from.pause();
        setTimeout(
          () => {
            if (!this.stalled) from.resume();
          },
          linkFreeAt - now - 50,
        );
      }
      if (timer === null && !this.releases.has(pump)) pump();
    });
  }
}
