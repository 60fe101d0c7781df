/**
 * Figures of the codebase's shape, printed as JSON: source files per module, the largest files,
 * the longest functions, and the symbols sync-core exports. Used to compare a change of
 * structure before and after (CONTRIBUTING.md). Usage: npx ts-node scripts/metrics/code-metrics.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (entry === 'node_modules') continue;
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(entry) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry))
      out.push(full);
  }
  return out;
}

const rel = (file: string): string => path.relative(ROOT, file);
const files = ['apps/master/src', 'apps/ship/src', 'libs/sync-core/src'].flatMap((dir) =>
  sourceFiles(path.join(ROOT, dir)),
);

const perModule: Record<string, number> = {};
for (const file of files) {
  const parts = rel(file).split('/');
  const module = parts.length > 4 ? parts.slice(0, 4).join('/') : parts.slice(0, 3).join('/');
  perModule[module] = (perModule[module] ?? 0) + 1;
}

const lines = (file: string): number => readFileSync(file, 'utf8').split('\n').length;
const largest = files
  .map((file) => ({ file: rel(file), lines: lines(file) }))
  .sort((a, b) => b.lines - a.lines)
  .slice(0, 10);

const functions: Array<{ name: string; file: string; lines: number; parameters: number }> = [];
for (const file of files) {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const named = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)';
      functions.push({
        name: named,
        file: rel(file),
        lines: end - start + 1,
        parameters: node.parameters.length,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
functions.sort((a, b) => b.lines - a.lines);

const program = ts.createProgram([path.join(ROOT, 'libs/sync-core/src/index.ts')], {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  skipLibCheck: true,
});
const checker = program.getTypeChecker();
const index = program.getSourceFile(path.join(ROOT, 'libs/sync-core/src/index.ts'));
const symbol = index ? checker.getSymbolAtLocation(index) : undefined;
const exported = symbol ? checker.getExportsOfModule(symbol).length : 0;

console.log(
  JSON.stringify(
    {
      sourceFiles: files.length,
      filesPerModule: Object.fromEntries(Object.entries(perModule).sort()),
      largestFiles: largest,
      longestFunctions: functions.slice(0, 10),
      functionsOver60Lines: functions.filter((f) => f.lines > 60).length,
      syncCoreExports: exported,
    },
    null,
    2,
  ),
);
