import { type Endpoint, wireJsonSchema } from '@tandem/contract';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { z } from 'zod';

type Output<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;
/** Declared headers add typed fields to the request's headers; undeclared ones change nothing. */
type HeadersOutput<Schema> = Schema extends z.ZodType ? z.output<Schema> : unknown;

/** The 2xx status an endpoint answers with when all goes well (200, 201 or 202). */
type SuccessStatus<E extends Endpoint> = Extract<keyof E['responses'], 200 | 201 | 202>;

/** What the handler returns: the `data` of the success envelope, in memory (Dates, numbers). */
export type SuccessData<E extends Endpoint> = E['responses'][SuccessStatus<E>] extends z.ZodType
  ? z.output<E['responses'][SuccessStatus<E>]> extends { data: infer Data }
    ? Data
    : never
  : never;

export type ContractRequest<E extends Endpoint> = FastifyRequest<{
  Params: Output<E['params']>;
  Querystring: Output<E['query']>;
  Headers: HeadersOutput<E['headers']>;
  Body: Output<E['body']>;
}>;

/**
 * Returns the `data` to answer with, or the reply itself once it has sent an answer of
 * its own (the orders page cache sends bytes it already has, synchronously).
 */
export type ContractHandler<E extends Endpoint> = (
  request: ContractRequest<E>,
  reply: FastifyReply,
) => Promise<SuccessData<E>> | FastifyReply;

/**
 * A Fastify route built from a contract endpoint: method and path as declared, input
 * (params, query, declared headers, body) validated by its Zod schemas (see plugins/app/zod-validation.ts), every response
 * status serialized by a schema compiled once from the contract (fast-json-stringify).
 * The handler returns only `data`; the status is the endpoint's 2xx and the envelope is
 * added in plugins/app/success-envelope.ts.
 */
export function contractRoute<E extends Endpoint>(endpoint: E, handler: ContractHandler<E>): RouteOptions {
  const successStatus =
    Object.keys(endpoint.responses)
      .map(Number)
      .find((status) => status >= 200 && status < 300) ?? 200;
  const response: Record<number, unknown> = {};
  // Compiled once here by fast-json-stringify; a Date leaves as toISOString(), the DateTime codec's wire form.
  for (const [status, schema] of Object.entries(endpoint.responses)) response[Number(status)] = wireJsonSchema(schema);

  return {
    method: endpoint.method,
    url: endpoint.path,
    schema: {
      ...(endpoint.params ? { params: endpoint.params } : {}),
      ...(endpoint.query ? { querystring: endpoint.query } : {}),
      ...(endpoint.headers ? { headers: endpoint.headers } : {}),
      ...(endpoint.body ? { body: endpoint.body } : {}),
      response,
    },
    // Not async itself: the handler's own promise is what Fastify waits for (one less per request).
    handler: (request, reply) => {
      reply.code(successStatus);
      return handler(request as ContractRequest<E>, reply);
    },
  };
}
