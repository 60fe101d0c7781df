/**
 * Runs one simulated satellite link per ship (see link-proxy.ts) and a small control API on
 * localhost, so a demo or a manual test can take a ship offline while its process keeps running:
 *
 *   curl -X POST localhost:3099/links/ship-a/down      # cut the link
 *   curl -X POST localhost:3099/links/ship-a/up        # restore it
 *   curl -X POST localhost:3099/links/ship-a/stall     # nothing crosses, connections stay open
 *   curl -X POST localhost:3099/links/ship-a/unstall   # flowing again
 *   curl -X POST 'localhost:3099/links/ship-a/shape?latencyMs=300&bandwidthBytesPerSec=250000'
 *   curl localhost:3099/links                          # state and bytes of every link
 *
 * Usage: link-control.ts CONTROL_PORT NAME=LISTEN_PORT:TARGET_PORT ...
 */
import { createServer } from 'node:http';
import { LinkProxy } from './link-proxy';

async function main(): Promise<void> {
  const [controlPort, ...specs] = process.argv.slice(2);
  const links = new Map<string, LinkProxy>();
  for (const spec of specs) {
    const match = /^([\w.-]+)=(\d+):(\d+)$/.exec(spec);
    if (!match) throw new Error(`"${spec}" must be NAME=LISTEN_PORT:TARGET_PORT`);
    const proxy = new LinkProxy({ host: '127.0.0.1', port: Number(match[3]) }, Number(match[2]));
    await proxy.start();
    links.set(match[1], proxy);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    const state = () =>
      Object.fromEntries(
        [...links].map(([name, link]) => [
          name,
          {
            online: link.isUp(),
            stalled: link.isStalled(),
            address: link.address,
            bytes: link.stats(),
          },
        ]),
      );
    if (req.method === 'GET' && url.pathname === '/links') return reply(200, state());
    const action = /^\/links\/([\w.-]+)\/(up|down|stall|unstall|shape)$/.exec(url.pathname);
    const link = action ? links.get(action[1]) : undefined;
    if (req.method !== 'POST' || !action || !link) {
      return reply(404, {
        error: 'use GET /links or POST /links/<ship>/(up|down|stall|unstall|shape)',
      });
    }
    if (action[2] === 'down') link.cut();
    if (action[2] === 'up') link.restore();
    if (action[2] === 'stall') link.stall();
    if (action[2] === 'unstall') link.unstall();
    if (action[2] === 'shape') {
      link.shape({
        latencyMs: Number(url.searchParams.get('latencyMs') ?? 0),
        bandwidthBytesPerSec: Number(url.searchParams.get('bandwidthBytesPerSec') ?? 0),
      });
    }
    return reply(200, state()[action[1]]);
  });
  server.listen(Number(controlPort), '127.0.0.1');
  const stop = (): void => {
    server.close();
    void Promise.all([...links.values()].map((link) => link.stop())).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop).on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
