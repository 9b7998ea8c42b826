import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import fp from 'fastify-plugin';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Bounded and log-safe: no spaces, quotes or control characters can reach a log line. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's `genReqId`: the caller's `X-Request-ID` when it is well formed, so browser
 * and server records join on one id; a fresh UUID otherwise (never an error: the id is
 * ours to give when the caller's is unusable).
 */
export function genReqId(raw: IncomingMessage | Http2ServerRequest): string {
  const incoming = raw.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && WELL_FORMED.test(incoming) ? incoming : randomUUID();
}

/**
 * Echoes the request id on every response. Registered first, so the header is already
 * set when anything later answers early (CORS preflight, 404, errors).
 */
export default fp(
  async (app) => {
    app.addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      done();
    });
  },
  { name: 'request-id' },
);
