// Writes contracts/openapi.json from the contract; with --check, fails when the
// committed file differs from what the contract generates (CI runs the check).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../src/openapi.js';

const target = fileURLToPath(new URL('../../../contracts/openapi.json', import.meta.url));
const generated = `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (committed !== generated) {
    console.error('contracts/openapi.json is stale: run `pnpm openapi` and commit the result.');
    process.exit(1);
  }
  console.log('contracts/openapi.json is current.');
} else {
  writeFileSync(target, generated);
  console.log(`wrote ${target}`);
}
