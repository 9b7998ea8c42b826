// Writes contracts/openapi.json and contracts/openapi.<version>.json from the contract
// (`pnpm openapi`); `pnpm openapi:check` (check-openapi.ts) fails when they are stale or
// when a version changed in a way that breaks its clients.
import { writeFileSync } from 'node:fs';
import { OPENAPI_FILES, serializeOpenApi } from './openapi-files.js';

for (const file of OPENAPI_FILES) {
  writeFileSync(file.path, serializeOpenApi(file.generate()));
  console.log(`wrote ${file.name}`);
}
