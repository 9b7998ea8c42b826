import type { Endpoint, EndpointAuth } from '@tandem/contract';
import type { FastifyInstance } from 'fastify';
import type { H2Client } from '../clients.js';

/**
 * Who a fuzz case calls as. This file is the one place a caller becomes credentials: a
 * signed-in account's session cookie (`user`), the operator's bearer token (`admin`), or nothing.
 */
export type Caller = 'anonymous' | 'user' | 'admin';

const CALLER_OF = { public: 'anonymous', session: 'user', admin: 'admin' } as const satisfies Record<
  EndpointAuth,
  Caller
>;

/** Who may call an endpoint, as the contract says, is who its cases call as. */
export function callerOf(endpoint: Pick<Endpoint, 'auth'>): Caller {
  return CALLER_OF[endpoint.auth];
}

export interface FuzzRequest {
  method: string;
  /** The path with its parameters filled in and the query string, if any. */
  url: string;
  headers: Record<string, string>;
  /** The body as sent (JSON text), with its content type in `headers`. */
  payload?: string;
}

export interface FuzzResponse {
  status: number;
  contentType: string | undefined;
  text: string;
}

/** How a request reaches the app: in process (`app.inject`) or over a real TLS socket. */
export type Transport = (request: FuzzRequest) => Promise<FuzzResponse>;

export function injectTransport(app: FastifyInstance): Transport {
  return async ({ method, url, headers, payload }) => {
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    const contentType = response.headers['content-type'];
    return { status: response.statusCode, contentType: contentType?.toString(), text: response.body };
  };
}

/** HTTP/2 over TLS on one session, as the SPA calls. */
export function socketTransport(client: H2Client): Transport {
  return async ({ method, url, headers, payload }) => {
    const response = await client.request({
      method,
      path: url,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const contentType = response.headers['content-type'];
    return { status: response.status, contentType: contentType?.toString(), text: response.text };
  };
}

export interface Credentials {
  adminToken: string;
  /** The `Cookie` header of the user's session; a function, so a case can be sent with a fresh one. */
  sessionCookie: () => string;
}

/** Sends `request` as `caller`: the caller's credentials over the request's own headers. */
export function senderAs(transport: Transport, credentials: Credentials) {
  const credentialHeaders: Record<Caller, () => Record<string, string>> = {
    anonymous: () => ({}),
    user: () => ({ cookie: credentials.sessionCookie() }),
    admin: () => ({ authorization: `Bearer ${credentials.adminToken}` }),
  };
  return (caller: Caller, request: FuzzRequest): Promise<FuzzResponse> =>
    transport({ ...request, headers: { ...request.headers, ...credentialHeaders[caller]() } });
}
