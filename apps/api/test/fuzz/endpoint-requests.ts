import { type Endpoint, pathOf, type RequestPart } from '@tandem/contract';
import fc from 'fast-check';
import type { z } from 'zod';
import { invalidValues, type Wire } from './invalid-values.js';
import type { FuzzRequest } from './send-as.js';
import { type Overrides, shapeOf, validValues } from './zod-arbitrary.js';

type Part = Extract<RequestPart, 'params' | 'query' | 'headers' | 'body'>;

/** One generated request and, for an invalid one, the field its answer must name. */
export interface FuzzCase {
  request: FuzzRequest;
  /** `body.items.0.qty`, `query.limit`…: an issue must name this path or one under it. */
  field?: string;
  mutation?: string;
}

const WIRE: Record<Part, Wire> = { params: 'text', query: 'text', headers: 'header', body: 'json' };

/** The parts of `endpoint` that take input, with their schemas. */
function partsOf(endpoint: Endpoint): [Part, z.ZodType][] {
  const parts: [Part, z.ZodType | undefined][] = [
    ['params', endpoint.params],
    ['query', endpoint.query],
    ['headers', endpoint.headers],
    ['body', endpoint.body],
  ];
  return parts.filter((part): part is [Part, z.ZodType] => part[1] !== undefined);
}

/** Whether the endpoint reads any input a client can get wrong. */
export function takesInput(endpoint: Endpoint): boolean {
  return partsOf(endpoint).length > 0;
}

/**
 * A query string an endpoint without a query schema does not read: it must change nothing.
 * Keys stay clear of names Fastify or the app might give a meaning to.
 */
const unreadQuery = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9_]{0,9}$/),
  fc.string({ unit: 'binary', maxLength: 20 }),
  { maxKeys: 3 },
);

/** Valid requests to `endpoint`: every part drawn from its schema. */
export function validRequests(endpoint: Endpoint, overrides: Overrides): fc.Arbitrary<FuzzCase> {
  const parts = Object.fromEntries(partsOf(endpoint).map(([part, schema]) => [part, validValues(schema, overrides)]));
  const mediaType = fc.constantFrom(...(endpoint.bodyMediaTypes ?? ['application/json']));
  return fc
    .record({
      params: parts.params ?? fc.constant({}),
      query: parts.query ?? unreadQuery,
      headers: parts.headers ?? fc.constant({}),
      body: parts.body ?? fc.constant(undefined),
      mediaType,
    })
    .map(({ params, query, headers, body, mediaType }) => ({
      request: requestOf(endpoint, { params, query, headers, body }, mediaType),
    }));
}

/**
 * Invalid requests to `endpoint`: one part broken by one mutation (invalid-values.ts), the
 * others valid. Path parameters are broken only into non-empty strings with a character
 * outside `a-z`, up to Fastify's 100-character parameter limit: an empty or all-letter
 * segment is another route (`/orders/batch`, `/orders/`), and a longer one none.
 */
export function invalidRequests(endpoint: Endpoint, overrides: Overrides): fc.Arbitrary<FuzzCase> {
  const parts = partsOf(endpoint);
  const valid = Object.fromEntries(parts.map(([part, schema]) => [part, validValues(schema, overrides)]));
  return fc.constantFrom(...parts).chain(([broken, schema]) => {
    let invalid = invalidValues(schema, valid[broken] as fc.Arbitrary<unknown>, WIRE[broken]);
    // A path parameter cannot be left out or added: only its value can be wrong.
    const names = Object.keys(shapeOf(schema) ?? {})
      .sort()
      .join();
    if (broken === 'params') {
      invalid = invalid.filter(
        ({ value }) =>
          Object.keys(value as object)
            .sort()
            .join() === names && Object.values(value as object).every(isRoutableSegment),
      );
    }
    return fc
      .record({
        params: (valid.params as fc.Arbitrary<unknown> | undefined) ?? fc.constant({}),
        query: (valid.query as fc.Arbitrary<unknown> | undefined) ?? fc.constant({}),
        headers: (valid.headers as fc.Arbitrary<unknown> | undefined) ?? fc.constant({}),
        body: (valid.body as fc.Arbitrary<unknown> | undefined) ?? fc.constant(undefined),
        invalid,
        mediaType: fc.constantFrom(...(endpoint.bodyMediaTypes ?? ['application/json'])),
      })
      .map(({ invalid, mediaType, ...input }) => ({
        request: requestOf(endpoint, { ...input, [broken]: invalid.value }, mediaType),
        field: [broken, ...invalid.field].join('.'),
        mutation: invalid.mutation,
      }));
  });
}

function isRoutableSegment(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= 100 && !/^[a-z]*$/.test(value);
}

function requestOf(
  endpoint: Endpoint,
  input: { params: unknown; query: unknown; headers: unknown; body: unknown },
  mediaType: string,
): FuzzRequest {
  const params = Object.fromEntries(Object.entries(input.params as object).map(([key, value]) => [key, String(value)]));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(input.query as object)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const query = search.toString();
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(input.headers as object).map(([key, value]) => [key, String(value)]),
  );
  const request: FuzzRequest = {
    method: endpoint.method,
    url: `${pathOf(endpoint.path, params)}${query ? `?${query}` : ''}`,
    headers,
  };
  if (input.body === undefined) return request;
  return { ...request, headers: { ...headers, 'content-type': mediaType }, payload: JSON.stringify(input.body) };
}
