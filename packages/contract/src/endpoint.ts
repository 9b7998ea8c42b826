import type { z } from 'zod';
import { ErrorEnvelope } from './envelope.js';
import type { RateLimitDeclaration } from './rate-limits.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type EndpointAuth = 'public' | 'session' | 'admin';

/** How a request body may be labelled; whatever the label, it is JSON. */
export type BodyMediaType = 'application/json' | 'text/plain';

/**
 * One operation of the API: where it lives, what it takes, and the schema of every
 * status it can answer with (errors included). Paths use Fastify's `:param` syntax.
 */
export interface Endpoint {
  method: HttpMethod;
  path: string;
  summary: string;
  tags: readonly string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the operation reads (names lower-case); other headers pass untouched. */
  headers?: z.ZodObject;
  body?: z.ZodType;
  /**
   * The media types the body may be sent as, each holding the same JSON; `application/json`
   * when absent. `text/plain` is what `navigator.sendBeacon` sends a string as (CORS-safelisted,
   * so no preflight).
   */
  bodyMediaTypes?: readonly BodyMediaType[];
  /**
   * What the success answer is, when it is not one JSON envelope: a Server-Sent Events
   * stream (the 200 schema is one event's `data`), a WebSocket (101; `messages` are the
   * frames each way), or Prometheus text.
   */
  produces?: 'text/event-stream' | 'websocket' | 'prometheus';
  messages?: { fromServer: z.ZodType; fromClient: z.ZodType };
  /**
   * Who may call it, decided for every endpoint. `public`: anyone (the probes, /metrics,
   * the version check, browser beacons, sign-up and sign-in). `session`: a signed-in
   * account (the session cookie, SESSION_COOKIE); without one, a 401 UNAUTHENTICATED.
   * `admin`: an operator's `Authorization: Bearer <ADMIN_TOKEN>`, no account involved.
   */
  auth: EndpointAuth;
  /**
   * The bucket a request draws from and what it costs (see rate-limits.ts). Absent: not
   * limited — streams, sockets, /metrics, the probes and the admin routes (an operator
   * must be able to act while the API is overloaded).
   */
  rateLimit?: RateLimitDeclaration;
  responses: Readonly<Record<number, z.ZodType>>;
}

/** Answer sets many endpoints share. */
export const ANSWERS = {
  /** Answers any JSON endpoint can give whatever its input: a crash is still an envelope. */
  always: { 500: ErrorEnvelope },
  /** Answers of every endpoint that parses a JSON body. */
  bodyErrors: { 400: ErrorEnvelope, 413: ErrorEnvelope, 415: ErrorEnvelope },
  /** The answer of every endpoint that needs a session, when the request has none (or an ended one). */
  signedIn: { 401: ErrorEnvelope },
  /** The answer of every session mutation whose Origin is not on the CORS allowlist. */
  sameOrigins: { 403: ErrorEnvelope },
  /** The answer of every rate-limited endpoint when its client's bucket is empty. */
  limited: { 429: ErrorEnvelope },
} as const;
