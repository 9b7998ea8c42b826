import { type Endpoint, wireJsonSchema } from '@tandem/contract';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { z } from 'zod';

type Output<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

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
  Body: Output<E['body']>;
}>;

export type ContractHandler<E extends Endpoint> = (
  request: ContractRequest<E>,
  reply: FastifyReply,
) => Promise<SuccessData<E>>;

/**
 * A Fastify route built from a contract endpoint: method and path as declared, input
 * validated by its Zod schemas (see plugins/app/zod-validation.ts), every response
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
  for (const [status, schema] of Object.entries(endpoint.responses)) response[Number(status)] = wireJsonSchema(schema);

  return {
    method: endpoint.method,
    url: endpoint.path,
    schema: {
      ...(endpoint.params ? { params: endpoint.params } : {}),
      ...(endpoint.query ? { querystring: endpoint.query } : {}),
      ...(endpoint.body ? { body: endpoint.body } : {}),
      response,
    },
    handler: async (request, reply) => {
      reply.code(successStatus);
      return handler(request as ContractRequest<E>, reply);
    },
  };
}
