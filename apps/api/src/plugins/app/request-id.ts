import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { REQUEST_ID_HEADER, REQUEST_ID_PATTERN } from '@tandem/contract';
import fp from 'fastify-plugin';
import { createSetting, type Setting } from '../../setting.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether answers name their request id; a change applies to the next request. */
    requestIdPolicy: Setting<RequestIdPolicy>;
  }
}

export interface RequestIdPolicy {
  /**
   * Every answer carries `X-Request-ID`: the id its log lines carry, so a browser that sent
   * none learns it. Off, only an error envelope names it (`data.requestId`).
   */
  readonly echo: boolean;
}

export interface RequestIdPluginOptions {
  /** At start (default: echo); `app.requestIdPolicy` changes it at run time. */
  policy?: RequestIdPolicy;
}

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
 * Echoes the request id on every response. Its onRequest hook runs before CORS's and the
 * routes', so the header is already set when anything later answers early (a CORS
 * preflight, a 404, an error).
 */
export default fp<RequestIdPluginOptions>(
  async (app, { policy = { echo: true } }) => {
    const setting = createSetting(policy);
    app.decorate('requestIdPolicy', setting);
    app.addHook('onRequest', (request, reply, done) => {
      if (setting.get().echo) reply.header(REQUEST_ID_HEADER, request.id);
      done();
    });
  },
  { name: 'request-id' },
);
