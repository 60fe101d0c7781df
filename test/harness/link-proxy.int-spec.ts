import { createServer, connect, type Server, type Socket } from 'node:net';
import { LinkProxy } from './link-proxy';
import { waitFor } from './test-infra';

/** An echo server on loopback: what the proxy stands in front of. */
async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

function roundTrip(port: number, payload: Buffer): Promise<{ echoed: Buffer; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    let received = 0;
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      received += chunk.length;
      if (received >= payload.length) resolve({ echoed: Buffer.concat(parts), socket });
    });
    socket.write(payload);
  });
}

describe('LinkProxy', () => {
  let echo: { server: Server; port: number };
  let proxy: LinkProxy;

  beforeEach(async () => {
    echo = await echoServer();
    proxy = new LinkProxy({ host: '127.0.0.1', port: echo.port });
    await proxy.start();
  });

  afterEach(async () => {
    await proxy.stop();
    await new Promise<void>((resolve) => echo.server.close(() => resolve()));
  });

  it('forwards bytes both ways and counts them', async () => {
    const payload = Buffer.alloc(10_000, 7);
    const { echoed, socket } = await roundTrip(proxy.port, payload);
    socket.destroy();
    expect(echoed.equals(payload)).toBe(true);
    expect(proxy.stats()).toMatchObject({ up: 10_000, down: 10_000, connections: 1 });
  });

  it('cuts open connections and refuses new ones until restored', async () => {
    const { socket } = await roundTrip(proxy.port, Buffer.from('hello'));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    proxy.cut();
    await closed;
    await expect(roundTrip(proxy.port, Buffer.from('again'))).rejects.toThrow(/ECONNRESET|EPIPE/);
    proxy.restore();
    const after = await roundTrip(proxy.port, Buffer.from('back'));
    after.socket.destroy();
    expect(after.echoed.toString()).toBe('back');
  });

  it('stalls: connections stay open, nothing crosses until the link flows again, in order', async () => {
    const { socket } = await roundTrip(proxy.port, Buffer.from('hello'));
    const received: Buffer[] = [];
    let closed = false;
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('close', () => (closed = true));
    proxy.stall();
    expect(proxy.isStalled()).toBe(true);
    socket.write('one,');
    socket.write('two');
    // A connection opened during the stall is accepted and held.
    const late = connect(proxy.port, '127.0.0.1');
    const lateReceived: Buffer[] = [];
    late.on('data', (chunk: Buffer) => lateReceived.push(chunk));
    late.write('late');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(Buffer.concat(received).length).toBe(0);
    expect(Buffer.concat(lateReceived).length).toBe(0);
    expect(closed).toBe(false);

    proxy.unstall();
    await waitFor(() => Buffer.concat(received).toString() === 'one,two', {
      description: 'the held bytes echoed',
    });
    await waitFor(() => Buffer.concat(lateReceived).toString() === 'late', {
      description: 'the held connection served',
    });
    socket.destroy();
    late.destroy();
  });

  it('a cut during a stall resets held connections', async () => {
    proxy.stall();
    const held = connect(proxy.port, '127.0.0.1');
    await new Promise<void>((resolve) => held.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => held.once('close', () => resolve()));
    held.on('error', () => undefined);
    proxy.cut();
    await closed;
    proxy.restore();
    proxy.unstall();
    const after = await roundTrip(proxy.port, Buffer.from('back'));
    after.socket.destroy();
    expect(after.echoed.toString()).toBe('back');
  });

  it('never reorders bytes, whatever the shape of the link does meanwhile', async () => {
    const { socket } = await roundTrip(proxy.port, Buffer.from('x'));
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const sent: string[] = [];
    // Each chunk is due when the one before it is (the latency shrinks): many timers of
    // different lengths that all expire at the same moment.
    for (let i = 0; i < 40; i += 1) {
      proxy.shape({ latencyMs: 40 - i });
      const chunk = `<${i}>`;
      sent.push(chunk);
      socket.write(chunk);
      await waitFor(() => proxy.stats().up === 1 + sent.join('').length, {
        description: `chunk ${i} taken by the proxy`,
        intervalMs: 1,
      });
    }
    proxy.shape({ latencyMs: 0 });
    await waitFor(() => Buffer.concat(received).length === sent.join('').length, {
      description: 'every chunk echoed',
    });
    socket.destroy();
    expect(Buffer.concat(received).toString()).toBe(sent.join(''));
  });

  it('delays by the configured latency in each direction', async () => {
    proxy.shape({ latencyMs: 150 });
    const started = process.hrtime.bigint();
    const { socket } = await roundTrip(proxy.port, Buffer.from('ping'));
    socket.destroy();
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    // Lower bound only: a delay that did not happen is a defect; a slow machine is not.
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
  });
  it('delivers what a peer sent before closing, then the close, as TCP does', async () => {
    // A server that answers, then closes its side at once (a FIN right behind the data).
    const payload = Buffer.alloc(50_000, 3);
    const closer = createServer((socket) => {
      socket.on('error', () => socket.destroy());
      socket.once('data', () => socket.end(payload));
    });
    await new Promise<void>((resolve) => closer.listen(0, '127.0.0.1', () => resolve()));
    const address = closer.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const link = new LinkProxy({ host: '127.0.0.1', port: address.port });
    await link.start();
    link.shape({ latencyMs: 100, bandwidthBytesPerSec: 200_000 });
    try {
      const client = connect(link.port, '127.0.0.1');
      const received: Buffer[] = [];
      client.on('data', (chunk: Buffer) => received.push(chunk));
      const ended = new Promise<string>((resolve) => {
        client.once('end', () => resolve('end'));
        client.once('error', (error) => resolve(error.message));
      });
      // The request is half-closed behind it as well: the server must still get it.
      client.end('request');
      expect(await ended).toBe('end');
      expect(Buffer.concat(received).equals(payload)).toBe(true);
    } finally {
      await link.stop();
      await new Promise<void>((resolve) => closer.close(() => resolve()));
    }
  });
});
