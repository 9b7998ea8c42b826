import { type Endpoint, ErrorEnvelope, endpoints } from '@tandem/contract';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { defineLab } from './define-lab.js';

/** Every JSON endpoint of the contract by `METHOD path` (streams, sockets and /metrics are not JSON envelopes). */
const JSON_ENDPOINTS = new Map<string, Endpoint>(
  Object.values(endpoints as Record<string, Endpoint>)
    .filter((endpoint) => endpoint.produces === undefined)
    .map((endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint]),
);

export class ResponseValidationError extends Error {
  override name = 'ResponseValidationError';
}

/**
 * What fastify-type-provider-zod does on every response: encode
 * the payload with the status's Zod schema (a full validation walk, Dates turned into
 * strings by the codec), then `JSON.stringify` the result. A payload the contract does
 * not allow is a 500, never sent.
 */
export function stringifyWithValidation(schema: z.ZodType, payload: unknown): string {
  const encoded = schema.safeEncode(payload);
  if (!encoded.success) {
    const [first] = encoded.error.issues;
    throw new ResponseValidationError(
      `Response does not match the contract at ${first?.path.join('.') || '(root)'}: ${first?.message}`,
    );
  }
  return JSON.stringify(encoded.data);
}

/**
 * serialization: how a JSON answer is written. Tuned is the product: each contract route
 * serializes with the schema fast-json-stringify compiled once from the contract
 * (contract-route.ts). Naive: the hook below gives the reply a serializer that validates
 * and stringifies per response, the same payload through the other path. The first-page
 * cache (plugins/app/orders-page-cache.ts) is suspended meanwhile, so the lab measures the
 * serializer's cost, not the cache's.
 */
export const serializationLab = defineLab('serialization', {
  install: (app, seams) => {
    // Synchronous: an async hook costs every request of the tuned side a promise.
    app.addHook('onRequest', (request, reply, done) => {
      if (seams.validatingSerializer.get()) {
        const endpoint = JSON_ENDPOINTS.get(`${request.method} ${request.routeOptions.url}`);
        if (endpoint) reply.serializer(validatingSerializer(endpoint, reply));
      }
      done();
    });
  },
  naive: (seams) => {
    seams.validatingSerializer.set(true);
    seams.firstPageCache.suspend('serialization');
  },
  tuned: (seams) => {
    seams.validatingSerializer.set(false);
    seams.firstPageCache.resume('serialization');
  },
});

function validatingSerializer(endpoint: Endpoint, reply: FastifyReply) {
  return (payload: unknown): string => {
    // Error answers of any status have one schema; an undeclared 2xx falls back to it and fails loudly.
    const schema =
      (endpoint.responses as Record<number, z.ZodType | undefined>)[reply.statusCode] ??
      (reply.statusCode >= 400 ? ErrorEnvelope : undefined);
    if (!schema) throw new ResponseValidationError(`No response schema for status ${reply.statusCode}`);
    return stringifyWithValidation(schema, payload);
  };
}
