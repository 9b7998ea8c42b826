import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_VERSIONS } from '../src/api-versions.js';
import { findBreakingChanges } from '../src/openapi-breaking-changes.js';
import { findBreakingChangesWithOpenApiDiff } from './openapi-diff-breaking-changes.js';
import { versionFile } from './openapi-files.js';

// openapi-diff compares bodies as sets of values (json-schema-diff): seconds per document
// pair on a busy machine. The limit is generous; nothing here asserts a timing.
const SLOW = { timeout: 120_000 };

// biome-ignore lint/suspicious/noExplicitAny: the tests edit OpenAPI documents by hand, key by key.
type Json = Record<string, any>;

const generated = (version: 'v1' | 'v2') => versionFile(version).generate() as Json;
const committed = (version: 'v1' | 'v2') => JSON.parse(readFileSync(versionFile(version).path, 'utf8')) as Json;

/** Our findings as `rule operation · path`, the part the assertions name. */
const ours = (before: Json, after: Json) =>
  findBreakingChanges(before, after).map((change) => `${change.rule} ${change.operation} · ${change.path}`);
/** openapi-diff's findings as `code operation`. */
const theirs = async (before: Json, after: Json) =>
  (await findBreakingChangesWithOpenApiDiff(before, after)).map((finding) => `${finding.code} ${finding.operation}`);

describe('v1 → v2 (proves both checkers see a breaking change when there is one)', () => {
  it('is breaking to our checker: money retyped, fields renamed, in answers and in the create body', () => {
    const found = ours(generated('v1'), generated('v2'));
    expect(found).toEqual(
      expect.arrayContaining([
        'response-property-removed GET /orders (listOrders) · $.data.items[*].customer',
        'response-type-changed GET /orders (listOrders) · $.data.items[*].total',
        'response-property-removed GET /orders/{id} (getOrder) · $.data.items[*].qty',
        'response-type-changed GET /orders/{id} (getOrder) · $.data.total',
        'request-property-newly-required POST /orders (createOrder) · $.customerName',
        'request-property-removed POST /orders (createOrder) · $.items[*].qty',
      ]),
    );
  });

  it('is breaking to openapi-diff, on the same operations', SLOW, async () => {
    const found = await theirs(generated('v1'), generated('v2'));
    expect(found).toEqual(
      expect.arrayContaining([
        'response.body.scope.add GET /orders',
        'response.body.scope.add GET /orders/{id}',
        'response.body.scope.add GET /orders/batch',
        'response.body.scope.add PATCH /orders/{id}',
        'request.body.scope.remove POST /orders',
        'response.body.scope.add POST /orders',
      ]),
    );
  });
});

describe.each(API_VERSIONS)('the committed contracts/openapi.%s.json → what the contract generates now', (version) => {
  // A contract change that breaks a published version fails here (and in `pnpm openapi:check`).
  it('breaks nothing to our checker', () => {
    expect(ours(committed(version), generated(version))).toEqual([]);
  });

  it('breaks nothing to openapi-diff', SLOW, async () => {
    expect(await theirs(committed(version), generated(version))).toEqual([]);
  });
});

describe('a deliberately broken v1 (customer removed from Order, total retyped to a string)', () => {
  const broken = () => {
    const document = committed('v1');
    const order = document.components.schemas.Order;
    delete order.properties.customer;
    order.required = order.required.filter((name: string) => name !== 'customer');
    order.properties.total = { type: 'string' };
    return document;
  };

  it('is caught by our checker, naming the operations and the properties', () => {
    const found = ours(committed('v1'), broken());
    expect(found).toEqual(
      expect.arrayContaining([
        'response-property-removed GET /orders/{id} (getOrder) · $.data.customer',
        'response-type-changed GET /orders/{id} (getOrder) · $.data.total',
        'response-property-removed GET /orders (listOrders) · $.data.items[*].customer',
        'response-type-changed POST /orders (createOrder) · $.data.total',
      ]),
    );
    // Only the answers that carry an order: the create body has its own schema.
    expect(found.every((line) => line.startsWith('response-'))).toBe(true);
  });

  it('is caught by openapi-diff, naming the operations', SLOW, async () => {
    expect((await theirs(committed('v1'), broken())).sort()).toEqual(
      [
        'response.body.scope.add GET /orders',
        'response.body.scope.add GET /orders/batch',
        'response.body.scope.add GET /orders/{id}',
        'response.body.scope.add PATCH /orders/{id}',
        'response.body.scope.add POST /orders',
      ].sort(),
    );
  });
});

describe('a compatible change of v1 (a new operation, an optional input property)', () => {
  const extended = () => {
    const document = committed('v1');
    document.paths['/orders/{id}/notes'] = {
      get: { operationId: 'listNotes', responses: { 200: document.paths['/orders/{id}'].get.responses[200] } },
    };
    document.components.schemas.CreateOrderBody.properties.note = { type: 'string', maxLength: 500 };
    return document;
  };

  it('breaks nothing to either checker', SLOW, async () => {
    expect(ours(committed('v1'), extended())).toEqual([]);
    expect(await theirs(committed('v1'), extended())).toEqual([]);
  });
});
