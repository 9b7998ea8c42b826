import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { endpoints } from '../src/endpoints.js';
import { buildOpenApiDocument } from '../src/openapi.js';

const committedPath = fileURLToPath(new URL('../../../contracts/openapi.json', import.meta.url));

describe('contracts/openapi.json', () => {
  it('is what the contract generates (run `pnpm openapi` when this fails)', () => {
    const committed = JSON.parse(readFileSync(committedPath, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('passes an independent OpenAPI 3.1 validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(committedPath);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every endpoint with every status it declares', () => {
    const document = buildOpenApiDocument() as { paths: Record<string, Record<string, { responses: object }>> };
    for (const endpoint of Object.values(endpoints)) {
      const path = endpoint.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const operation = document.paths[path]?.[endpoint.method.toLowerCase()];
      expect(operation, `${endpoint.method} ${path}`).toBeDefined();
      expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(Object.keys(endpoint.responses).sort());
    }
  });
});
