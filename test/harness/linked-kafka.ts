import { writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort } from './free-port';
import { LinkProxy } from './link-proxy';
import { startOwnKafka, stopOwnKafka, type OwnKafkaBroker } from './test-infra';

export interface LinkedKafka {
  broker: OwnKafkaBroker;
  /** Direct address, for the master (its link is not under test). */
  brokers: string;
  /** Per node: the address to use as its KAFKA_BROKERS, and the link in between. */
  links: Record<string, { brokers: string; proxy: LinkProxy }>;
  /** Restarts the broker on the same data and ports (the links stay as they are). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A broker of the test's own with one extra listener per linked node. Each listener advertises
 * the address of a LinkProxy in front of it, so every connection of that node — bootstrap and
 * the broker addresses it learns from metadata — crosses its own link, which the test can cut,
 * slow down or delay while the node keeps running.
 */
export async function startLinkedKafka(
  nodes: string[],
  /** More broker properties (`name=value`), e.g. a shorter retention check for a test. */
  properties: string[] = [],
): Promise<LinkedKafka> {
  const links: LinkedKafka['links'] = {};
  const listeners: string[] = [];
  const advertised: string[] = [];
  const protocols: string[] = [];
  for (const node of nodes) {
    const name = `LINK_${node.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    const internalPort = await freePort();
    const proxy = new LinkProxy({ host: '127.0.0.1', port: internalPort });
    const proxyPort = await proxy.start();
    listeners.push(`${name}://127.0.0.1:${internalPort}`);
    advertised.push(`${name}://127.0.0.1:${proxyPort}`);
    protocols.push(`${name}:PLAINTEXT`);
    links[node] = { brokers: `127.0.0.1:${proxyPort}`, proxy };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'linked-kafka-'));
  const extra = path.join(dir, 'links.properties');
  writeFileSync(
    extra,
    [
      `listeners=PLAINTEXT://127.0.0.1:{PORT},CONTROLLER://127.0.0.1:{CONTROLLER_PORT},${listeners.join(',')}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:{PORT},${advertised.join(',')}`,
      `listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,${protocols.join(',')}`,
      ...properties,
      '',
    ].join('\n'),
  );
  const env = { KAFKA_EXTRA_PROPERTIES: extra };
  let broker = await startOwnKafka({ env });
  return {
    get broker() {
      return broker;
    },
    brokers: broker.brokers.join(','),
    links,
    async restart() {
      await stopOwnKafka(broker.dataDir, { keepData: true });
      broker = await startOwnKafka({ dataDir: broker.dataDir, env });
    },
    async stop() {
      await stopOwnKafka(broker.dataDir);
      for (const { proxy } of Object.values(links)) await proxy.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
