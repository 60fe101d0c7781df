/**
 * Writes the OpenAPI documents of both apps (openapi/<app>.json) and the typed client's types
 * generated from them (libs/api-client/src/<app>.schema.ts). `--check` writes nothing and fails
 * when a committed file differs from what the code describes. Run as `npm run openapi`.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { masterOpenApiDocument } from '../../apps/master/src/master-openapi';
import { shipOpenApiDocument } from '../../apps/ship/src/ship-openapi';
import {
  API_APPS,
  absolute,
  clientTypesPath,
  clientTypesText,
  documentPath,
  documentText,
  firstDifference,
  readCommitted,
  type ApiApp,
} from '../../libs/api-client/codegen/api-contract';

const BUILDERS: Record<ApiApp, () => Promise<object>> = {
  master: masterOpenApiDocument,
  ship: shipOpenApiDocument,
};

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const app of API_APPS) {
    const document = await BUILDERS[app]();
    const outputs: Array<[string, string]> = [
      [documentPath(app), documentText(document)],
      [clientTypesPath(app), clientTypesText(app, document)],
    ];
    for (const [file, text] of outputs) {
      if (!check) {
        writeFileSync(absolute(file), text);
        console.log(`wrote ${file}`);
        continue;
      }
      let committed = '';
      try {
        committed = readCommitted(file);
      } catch {
        // missing: reported as differing
      }
      const difference = firstDifference(text, committed);
      if (difference) {
        stale += 1;
        console.error(`${file} is not what the code describes (${difference})`);
      }
    }
  }
  if (stale > 0) {
    console.error('Run `npm run openapi` and commit the result.');
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
