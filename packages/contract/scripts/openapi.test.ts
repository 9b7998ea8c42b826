import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { endpoints } from '../src/all-endpoints.js';
import { API_VERSIONS, apiVersionOfPath } from '../src/api-versions.js';
import type { Endpoint } from '../src/endpoint.js';
import { shedWhenOverloaded } from '../src/load-shedding.js';
import { buildOpenApiDocument } from '../src/openapi.js';
import { buildVersionOpenApiDocument } from '../src/openapi-version-document.js';
import { OPENAPI_FILES, serializeOpenApi } from './openapi-files.js';

type Operation = { operationId: string; responses: object; requestBody?: { content: Record<string, unknown> } };
type OpenApiDocument = { servers: { url: string }[]; paths: Record<string, Record<string, Operation>> };

const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe.each(OPENAPI_FILES)('$name', (file) => {
  it('is what the contract generates (run `pnpm openapi` when this fails)', () => {
    expect(readFileSync(file.path, 'utf8')).toBe(serializeOpenApi(file.generate()));
  });

  // A 100 kB document takes the validator seconds on a busy 2-core machine; no timing is asserted.
  it('passes an independent OpenAPI 3.1 validator', { timeout: 60_000 }, async () => {
    const validator = new Validator();
    const result = await validator.validate(file.path);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });
});

describe('the whole document (contracts/openapi.json)', () => {
  it('documents every endpoint with every status it declares, and the 503 of those an overloaded API sheds', () => {
    const document = buildOpenApiDocument() as OpenApiDocument;
    let shed = 0;
    for (const endpoint of Object.values(endpoints)) {
      const path = openApiPath(endpoint.path);
      const operation = document.paths[path]?.[endpoint.method.toLowerCase()];
      expect(operation, `${endpoint.method} ${path}`).toBeDefined();
      const declared = Object.keys(endpoint.responses);
      const expected = shedWhenOverloaded(endpoint) ? [...new Set([...declared, '503'])] : declared;
      if (shedWhenOverloaded(endpoint)) shed += 1;
      expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(expected.sort());
    }
    expect(shed).toBeGreaterThan(0);
  });

  it('sheds every /api/ operation but the admin routes, and never the probes or /metrics', () => {
    const byPath = (path: string) => Object.values(endpoints).filter((endpoint) => endpoint.path === path);
    expect(byPath('/api/v1/orders').every(shedWhenOverloaded)).toBe(true);
    for (const path of ['/healthz', '/readyz', '/metrics']) expect(byPath(path).some(shedWhenOverloaded)).toBe(false);
    const admin = Object.values(endpoints).filter((endpoint) => 'auth' in endpoint && endpoint.auth === 'admin');
    expect(admin.length).toBeGreaterThan(0);
    expect(admin.some(shedWhenOverloaded)).toBe(false);
  });

  it('declares every media type a body may be sent as (the RUM beacon is text/plain)', () => {
    const document = buildOpenApiDocument() as OpenApiDocument;
    for (const endpoint of Object.values(endpoints) as Endpoint[]) {
      if (!endpoint.body) continue;
      const operation = document.paths[openApiPath(endpoint.path)]?.[endpoint.method.toLowerCase()];
      const declared = Object.keys(operation?.requestBody?.content ?? {});
      expect(declared, `${endpoint.method} ${endpoint.path}`).toEqual(endpoint.bodyMediaTypes ?? ['application/json']);
    }
    const rum = document.paths['/api/v1/rum']?.post;
    expect(Object.keys(rum?.requestBody?.content ?? {})).toContain('text/plain');
  });
});

describe.each(API_VERSIONS)('the %s document (contracts/openapi.%s.json)', (version) => {
  const document = buildVersionOpenApiDocument(version) as OpenApiDocument;

  it(`has the server /api/${version} and exactly the operations under it, at paths relative to it`, () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: `/api/${version}` })]);
    const expected = Object.entries(endpoints)
      .filter(([, endpoint]) => apiVersionOfPath(endpoint.path) === version)
      .map(
        ([name, endpoint]) =>
          `${endpoint.method} ${openApiPath(endpoint.path).slice(`/api/${version}`.length)} ${name}`,
      );
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(documented.sort()).toEqual(expected.sort());
  });

  it('keeps the unversioned operations (/healthz, /metrics, /api/version …) out', () => {
    const unversioned = Object.entries(endpoints)
      .filter(([, endpoint]) => apiVersionOfPath(endpoint.path) === undefined)
      .map(([name]) => name);
    expect(unversioned).toEqual(expect.arrayContaining(['health', 'metrics', 'getVersion']));
    const operationIds = Object.values(document.paths).flatMap((item) => Object.values(item).map((o) => o.operationId));
    for (const name of unversioned) expect(operationIds).not.toContain(name);
  });

  it('names the same operation of another version with the same path key', () => {
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/orders', '/orders/{id}', '/orders/batch']));
  });
});
