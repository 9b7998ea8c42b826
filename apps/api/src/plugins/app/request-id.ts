import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { REQUEST_ID_HEADER, REQUEST_ID_PATTERN } from '@tandem/contract';
import fp from 'fastify-plugin';

/**
 * Fastify's `genReqId`: the caller's `X-Request-ID` when it matches the contract's
 * REQUEST_ID_PATTERN, so browser and server records join on one id; a fresh UUID
 * otherwise (never an error: the id is ours to give when the caller's is unusable).
 */
export function genReqId(raw: IncomingMessage | Http2ServerRequest): string {
  const incoming = raw.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
}

/**
 * Echoes the request id on every response. Registered first, so the header is already
 * set when anything later answers early (CORS preflight, 404, errors).
 */
export default fp(
  async (app) => {
    app.addHook('onRequest', (request, reply, done) => {
      // lab request-id: naive → no echo: the id stays in the server's log, so a browser that
      //                         sent none cannot learn it (each side keeps an id of its own)
      //                 tuned → every response names the id its log lines carry
      if (app.labs.mode('request-id') === 'tuned') reply.header(REQUEST_ID_HEADER, request.id);
      done();
    });
  },
  { name: 'request-id', dependencies: ['lab-switches'] },
);
