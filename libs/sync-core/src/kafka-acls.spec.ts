import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runKafkaAcls } from './kafka-acls';
import type { SyncAcl } from './kafka/sync-acls';

function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runKafkaAcls(args, env, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('npm run kafka-acls', () => {
  it('prints the commands k8s/README.md shows for its example (the docs cannot drift)', () => {
    const readme = readFileSync(path.join(__dirname, '../../../k8s/README.md'), 'utf8');
    const example = readme.split('<!-- kafka-acls example')[1];
    expect(example).toBeDefined();
    const [command, output] = [...example.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
    const args = command
      .replace(/\\\n/g, ' ')
      .replace('npm run --silent kafka-acls --', '')
      .trim()
      .split(/\s+/);
    const printed = run(args);
    expect(printed.code).toBe(0);
    expect(printed.out).toBe(output);
  });

  it('names the topics and groups the apps use, from the same variables', () => {
    const { code, out } = run(['--master', 'hub', '--ship', 'ship-a=sasl-a', '--json'], {
      KAFKA_TOPIC_PREFIX: 'prod.',
      KAFKA_TOPIC_MASTER_UPDATES: 'documents',
      KAFKA_CONSUMER_GROUP_SUFFIX: '-eu',
    });
    expect(code).toBe(0);
    const acls = JSON.parse(out) as SyncAcl[];
    expect(acls).toContainEqual({
      principal: 'User:sasl-a',
      resourceType: 'topic',
      patternType: 'literal',
      resourceName: 'prod.documents',
      operation: 'read',
    });
    expect(acls).toContainEqual(
      expect.objectContaining({
        principal: 'User:sasl-a',
        resourceName: 'offline-sync-ship-ship-a-eu',
      }),
    );
  });

  it('connects kafka-acls.sh to KAFKA_BROKERS unless told otherwise', () => {
    const { out } = run(['--master', 'hub'], { KAFKA_BROKERS: 'a:9093,b:9093' });
    expect(out.split('\n')[0]).toMatch(/^kafka-acls\.sh --bootstrap-server a:9093,b:9093 --add /);
  });

  it.each([
    [[], /--master is required/],
    [['--master'], /--master needs a value/],
    [['--master', 'hub', '--ship', 'Ship A'], /--ship 'Ship A' is not a ship id/],
    [['--master', 'hub', '--ship', 'ship-a=bad user'], /'bad user' is not a user name/],
    [['--master', 'hub', '--topic', 'x'], /unknown option --topic/],
  ])('refuses %j with a clear line and status 2', (args, message) => {
    const { code, out, err } = run(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
  });
});
