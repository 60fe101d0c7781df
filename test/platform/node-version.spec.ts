import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const pinned = read('.nvmrc').trim();
const major = pinned.split('.')[0];

// What ships (the images) must be what the tests ran on: one Node, named in .nvmrc.
describe('one Node everywhere', () => {
  it(`runs the tests on the Node of .nvmrc (${pinned})`, () => {
    expect(process.versions.node).toBe(pinned);
  });

  it('builds both images on that Node', () => {
    const arg = /^ARG NODE_IMAGE=(\S+)$/m.exec(read('Dockerfile'));
    expect(arg?.[1]).toMatch(new RegExp(`^node:${pinned.replace(/\./g, '\\.')}-`));
  });

  it('states it in engines and types the code for it', () => {
    const pkg = JSON.parse(read('package.json')) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
    };
    expect(pkg.engines.node).toBe(`^${pinned}`);
    expect(pkg.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${major}\\.`));
  });
});
