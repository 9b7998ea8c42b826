import { describe, expect, it } from 'vitest';
import { type BreakingChange, findBreakingChanges, formatBreakingChange } from './openapi-breaking-changes.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests edit OpenAPI documents by hand, key by key.
type Json = Record<string, any>;

const json = 'application/json';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const answer = (name: string) => ({ description: 'OK', content: { [json]: { schema: ref(name) } } });

/** A small API in the shape our generator writes: envelopes, $refs into components, one nested array. */
function baseDocument(): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'test', version: '1.0.0' },
    paths: {
      '/orders': {
        get: {
          operationId: 'listOrders',
          parameters: [
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
            { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['pending', 'paid'] } },
          ],
          responses: { 200: answer('OrderPageEnvelope'), 400: answer('ErrorEnvelope') },
        },
        post: {
          operationId: 'createOrder',
          requestBody: { required: true, content: { [json]: { schema: ref('CreateOrderBody') } } },
          responses: { 201: answer('OrderEnvelope'), 400: answer('ErrorEnvelope') },
        },
      },
      '/orders/{id}': {
        get: {
          operationId: 'getOrder',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { 200: answer('OrderEnvelope'), 404: answer('ErrorEnvelope') },
        },
      },
    },
    components: {
      schemas: {
        Money: { type: 'number', minimum: 0, maximum: 10_000_000, multipleOf: 0.01 },
        OrderStatus: { type: 'string', enum: ['pending', 'paid'] },
        OrderItem: {
          type: 'object',
          properties: {
            sku: { type: 'string', pattern: '^[A-Z-]+$' },
            qty: { type: 'integer', minimum: 1, maximum: 1000 },
            price: ref('Money'),
          },
          required: ['sku', 'qty', 'price'],
          additionalProperties: false,
        },
        Order: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            customer: { type: 'string', maxLength: 120 },
            note: { type: ['string', 'null'] },
            items: { type: 'array', items: ref('OrderItem') },
            total: ref('Money'),
            status: ref('OrderStatus'),
          },
          required: ['id', 'customer', 'note', 'items', 'total', 'status'],
        },
        OrderEnvelope: {
          type: 'object',
          properties: { code: { type: 'integer' }, data: ref('Order') },
          required: ['code', 'data'],
        },
        OrderPageEnvelope: {
          type: 'object',
          properties: {
            code: { type: 'integer' },
            data: {
              type: 'object',
              properties: { items: { type: 'array', items: ref('Order') } },
              required: ['items'],
            },
          },
          required: ['code', 'data'],
        },
        CreateOrderBody: {
          type: 'object',
          properties: {
            customer: { type: 'string', minLength: 1, maxLength: 120 },
            priority: { type: 'string', enum: ['normal', 'express'] },
            items: { type: 'array', items: ref('OrderItem'), minItems: 1, maxItems: 50 },
          },
          required: ['customer', 'items'],
          additionalProperties: false,
        },
        ErrorEnvelope: {
          type: 'object',
          properties: { code: { type: 'integer' }, message: { type: 'string' } },
          required: ['code', 'message'],
        },
      },
    },
  };
}

/** `rule operation · location · path`, sorted: the part of a finding a case pins down. */
function summarize(changes: BreakingChange[]): string[] {
  return changes.map((change) => `${change.rule} ${change.operation} · ${change.location} · ${change.path}`).sort();
}

function changesAfter(change: (before: Json, after: Json) => void): string[] {
  const before = baseDocument();
  const after = baseDocument();
  change(before, after);
  return summarize(findBreakingChanges(before, after));
}

/** The three answers that carry an Order, at `path` below the order. */
function inEveryOrderAnswer(rule: string, path: string): string[] {
  return [
    `${rule} GET /orders (listOrders) · response 200 ${json} · $.data.items[*]${path}`,
    `${rule} GET /orders/{id} (getOrder) · response 200 ${json} · $.data${path}`,
    `${rule} POST /orders (createOrder) · response 201 ${json} · $.data${path}`,
  ].sort();
}

const schemas = (document: Json) => document.components.schemas;
const getOrder = (document: Json) => document.paths['/orders/{id}'].get;
const listOrders = (document: Json) => document.paths['/orders'].get;
const createOrder = (document: Json) => document.paths['/orders'].post;

describe('findBreakingChanges', () => {
  it('finds nothing between a document and itself', () => {
    expect(changesAfter(() => {})).toEqual([]);
  });

  it('finds nothing in changes an old client cannot notice', () => {
    const found = changesAfter((_, after) => {
      after.paths['/customers'] = { get: { operationId: 'listCustomers', responses: {} } };
      getOrder(after).responses[409] = answer('ErrorEnvelope');
      listOrders(after).parameters[0].schema.maximum = 500; // an input bound widened
      listOrders(after).parameters.push({ name: 'q', in: 'query', required: false, schema: { type: 'string' } });
      schemas(after).CreateOrderBody.properties.giftWrap = { type: 'boolean' }; // optional input
      schemas(after).CreateOrderBody.properties.priority.enum.push('overnight'); // a value an input accepts
      schemas(after).CreateOrderBody.properties.customer.maxLength = 200;
      schemas(after).Order.properties.channel = { type: 'string' }; // open response object
      schemas(after).OrderStatus.enum = ['pending']; // a value answers no longer use
      schemas(after).Order.properties.customer.maxLength = 60; // answers narrowed
    });
    expect(found).toEqual([]);
  });

  const cases: { rule: string; change: (before: Json, after: Json) => void; expected: string[] }[] = [
    {
      rule: 'operation-removed',
      change: (_, after) => delete after.paths['/orders/{id}'],
      expected: ['operation-removed GET /orders/{id} (getOrder) · operation · $'],
    },
    {
      rule: 'response-status-removed',
      change: (_, after) => delete getOrder(after).responses[404],
      expected: ['response-status-removed GET /orders/{id} (getOrder) · response 404 · $'],
    },
    {
      rule: 'response-media-type-removed',
      change: (_, after) => {
        getOrder(after).responses[200].content = { 'application/xml': { schema: ref('OrderEnvelope') } };
      },
      expected: [`response-media-type-removed GET /orders/{id} (getOrder) · response 200 ${json} · $`],
    },
    {
      rule: 'request-media-type-removed',
      change: (_, after) => {
        createOrder(after).requestBody.content = { 'application/xml': { schema: ref('CreateOrderBody') } };
      },
      expected: [`request-media-type-removed POST /orders (createOrder) · request body ${json} · $`],
    },
    {
      rule: 'request-body-newly-required',
      change: (before) => {
        createOrder(before).requestBody.required = false;
      },
      expected: ['request-body-newly-required POST /orders (createOrder) · request body · $'],
    },
    {
      rule: 'parameter-newly-required (was optional)',
      change: (_, after) => {
        listOrders(after).parameters[0].required = true;
      },
      expected: ['parameter-newly-required GET /orders (listOrders) · query parameter limit · $'],
    },
    {
      rule: 'parameter-newly-required (new)',
      change: (_, after) => {
        getOrder(after).parameters.push({ name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } });
      },
      expected: ['parameter-newly-required GET /orders/{id} (getOrder) · header parameter X-Tenant · $'],
    },
    {
      rule: 'parameter-type-changed',
      change: (_, after) => {
        getOrder(after).parameters[0].schema = { type: 'integer' };
      },
      expected: ['parameter-type-changed GET /orders/{id} (getOrder) · path parameter id · $'],
    },
    {
      rule: 'parameter-enum-value-removed',
      change: (_, after) => {
        listOrders(after).parameters[1].schema.enum = ['pending'];
      },
      expected: ['parameter-enum-value-removed GET /orders (listOrders) · query parameter status · $'],
    },
    {
      rule: 'parameter-constraint-narrowed',
      change: (_, after) => {
        listOrders(after).parameters[0].schema.maximum = 50;
      },
      expected: ['parameter-constraint-narrowed GET /orders (listOrders) · query parameter limit · $'],
    },
    {
      rule: 'response-property-removed',
      change: (_, after) => {
        delete schemas(after).Order.properties.customer;
        schemas(after).Order.required = schemas(after).Order.required.filter((name: string) => name !== 'customer');
      },
      expected: inEveryOrderAnswer('response-property-removed', '.customer'),
    },
    {
      rule: 'response-property-optional',
      change: (_, after) => {
        schemas(after).Order.required = schemas(after).Order.required.filter((name: string) => name !== 'note');
      },
      expected: inEveryOrderAnswer('response-property-optional', '.note'),
    },
    {
      rule: 'response-property-added-to-closed-object',
      change: (_, after) => {
        schemas(after).OrderItem.properties.discount = { type: 'number' };
      },
      expected: inEveryOrderAnswer('response-property-added-to-closed-object', '.items[*].discount'),
    },
    {
      rule: 'response-type-changed (retyped to an object)',
      change: (_, after) => {
        schemas(after).Order.properties.total = {
          type: 'object',
          properties: { amountMinor: { type: 'integer' }, currency: { const: 'EUR' } },
          required: ['amountMinor', 'currency'],
        };
      },
      expected: inEveryOrderAnswer('response-type-changed', '.total'),
    },
    {
      rule: 'response-type-changed (now nullable)',
      change: (_, after) => {
        schemas(after).Order.properties.customer.type = ['string', 'null'];
      },
      expected: inEveryOrderAnswer('response-type-changed', '.customer'),
    },
    {
      rule: 'response-type-changed and request-type-changed (a shared nested schema)',
      change: (_, after) => {
        schemas(after).OrderItem.properties.qty = { type: 'string' };
      },
      expected: [
        ...inEveryOrderAnswer('response-type-changed', '.items[*].qty'),
        `request-type-changed POST /orders (createOrder) · request body ${json} · $.items[*].qty`,
      ].sort(),
    },
    {
      rule: 'response-enum-value-added',
      change: (_, after) => {
        schemas(after).OrderStatus.enum.push('shipped');
      },
      expected: inEveryOrderAnswer('response-enum-value-added', '.status'),
    },
    {
      rule: 'response-constraint-widened',
      change: (_, after) => {
        schemas(after).Order.properties.customer.maxLength = 200;
      },
      expected: inEveryOrderAnswer('response-constraint-widened', '.customer'),
    },
    {
      rule: 'request-property-removed',
      change: (_, after) => delete schemas(after).CreateOrderBody.properties.priority,
      expected: [`request-property-removed POST /orders (createOrder) · request body ${json} · $.priority`],
    },
    {
      rule: 'request-property-newly-required',
      change: (_, after) => {
        schemas(after).CreateOrderBody.required.push('priority');
      },
      expected: [`request-property-newly-required POST /orders (createOrder) · request body ${json} · $.priority`],
    },
    {
      rule: 'request-type-changed',
      change: (_, after) => {
        schemas(after).CreateOrderBody.properties.customer = { type: 'object' };
      },
      expected: [`request-type-changed POST /orders (createOrder) · request body ${json} · $.customer`],
    },
    {
      rule: 'request-enum-value-removed',
      change: (_, after) => {
        schemas(after).CreateOrderBody.properties.priority.enum = ['normal'];
      },
      expected: [`request-enum-value-removed POST /orders (createOrder) · request body ${json} · $.priority`],
    },
    {
      rule: 'request-constraint-narrowed (maxLength)',
      change: (_, after) => {
        schemas(after).CreateOrderBody.properties.customer.maxLength = 60;
      },
      expected: [`request-constraint-narrowed POST /orders (createOrder) · request body ${json} · $.customer`],
    },
    {
      rule: 'request-constraint-narrowed (exclusive bound, nested array)',
      change: (_, after) => {
        // qty > 0 still takes 1; qty > 1 does not: the same lower bound made exclusive narrows.
        schemas(after).OrderItem.properties.qty = { type: 'integer', exclusiveMinimum: 1, maximum: 1000 };
      },
      expected: [`request-constraint-narrowed POST /orders (createOrder) · request body ${json} · $.items[*].qty`],
    },
    {
      rule: 'request-constraint-narrowed (multipleOf)',
      change: (_, after) => {
        schemas(after).Money.multipleOf = 0.05;
      },
      expected: [`request-constraint-narrowed POST /orders (createOrder) · request body ${json} · $.items[*].price`],
    },
  ];

  for (const { rule, change, expected } of cases) {
    it(`reports ${rule}`, () => {
      expect(changesAfter(change)).toEqual(expected);
    });
  }

  it('takes a finer multipleOf step as a widening, not a narrowing', () => {
    expect(changesAfter((_, after) => (schemas(after).Money.multipleOf = 0.001))).toEqual(
      // a wider set of prices in answers is a change a client may trip on; the input is fine
      [
        ...inEveryOrderAnswer('response-constraint-widened', '.total'),
        ...inEveryOrderAnswer('response-constraint-widened', '.items[*].price'),
      ].sort(),
    );
  });

  it('walks a recursive schema without looping, and finds a change inside it', () => {
    const withTree = (document: Json) => {
      schemas(document).Category = {
        type: 'object',
        properties: { name: { type: 'string' }, children: { type: 'array', items: ref('Category') } },
        required: ['name', 'children'],
      };
      document.paths['/categories'] = { get: { operationId: 'tree', responses: { 200: answer('Category') } } };
    };
    const found = changesAfter((before, after) => {
      withTree(before);
      withTree(after);
      schemas(after).Category.properties.name.type = 'integer';
    });
    expect(found).toEqual([`response-type-changed GET /categories (tree) · response 200 ${json} · $.name`]);
  });

  it('formats a finding as one line naming the operation, where, and what', () => {
    const before = baseDocument();
    const after = baseDocument();
    delete schemas(after).Order.properties.customer;
    const [first] = findBreakingChanges(before, after);
    expect(first && formatBreakingChange(first)).toBe(
      `GET /orders (listOrders) · response 200 ${json} · $.data.items[*].customer: removed [response-property-removed]`,
    );
  });
});
