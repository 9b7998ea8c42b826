import { z } from 'zod';
import { successEnvelope } from '../envelope.js';

/**
 * The performance labs this build ships (see docs/labs/). Each has one run-time switch
 * with two values: `naive` reproduces the mismatch, `tuned` is the fix, in the same code.
 */
export const LAB_CATALOGUE = {
  'h2-sse': {
    title: 'SSE and API calls over HTTP/1.1 vs HTTP/2',
    naive: 'The SPA talks to the HTTP/1.1-only listener: each EventSource holds one of the browser’s 6 connections.',
    tuned: 'The SPA talks to the HTTP/2 listener: one connection, many streams.',
  },
  heartbeat: {
    title: 'Heartbeats and keepalive vs silently dropped peers',
    naive: 'No WebSocket ping, no SSE heartbeat, no HTTP/2 ping, OS keepalive default (2 h).',
    tuned: 'WebSocket ping + pong deadline, SSE comment heartbeat, HTTP/2 ping, TCP keepalive 45 s.',
  },
  'cors-preflight': {
    title: 'CORS preflights: one OPTIONS per call vs simple GETs and a cached allowlist',
    naive:
      'Every call carries X-Request-ID and X-Request-Timeout (GETs too); the API sends no Access-Control-Max-Age (Chromium caches 5 s) and echoes whatever headers the browser asks for.',
    tuned:
      'GETs carry no custom header (the API makes the request id and echoes it; the deadline is its default), so they need no preflight; writes keep theirs, and the API sends Access-Control-Max-Age: 7200 with one sorted, complete allowlist.',
  },
  leaks: {
    title: 'Streams and timers left open after a component unmounts',
    naive: 'Live components never close their EventSource, WebSocket or timers.',
    tuned: 'Components close them in onScopeDispose.',
  },
  serialization: {
    title: 'Response serialization: JSON.stringify + per-response validation vs a compiled serializer',
    naive:
      'Every JSON answer is Zod-encoded against its contract schema, then JSON.stringify-ed (what fastify-type-provider-zod does).',
    tuned:
      'Every JSON answer is written by a serializer compiled once from the contract (fast-json-stringify); no per-response Zod.',
  },
  'date-codec': {
    title: 'Timestamps on the wire: no codec vs one RFC 3339 UTC codec',
    naive:
      'The API writes timestamps as the database prints them (local wall time, no offset); the SPA takes the JSON as parsed and calls new Date() on them.',
    tuned:
      'The contract’s DateTime codec on both sides: RFC 3339 UTC on the wire, a Date in memory, bad input a 400 naming the field.',
  },
  'retry-429': {
    title: 'Client retries against an overloaded API (429 Too Many Requests)',
    naive:
      'The SPA retries like vue-query and axios out of the box: every failed read 3 more times after 1 s, 2 s and 4 s, a 429 included, without reading Retry-After or keeping a budget.',
    tuned:
      'The SPA retries only 429/503 (after the server’s Retry-After, jittered upward, capped by the limiter’s own limits) and no answer or a 5xx (backoff), within a retry budget that successes refill.',
  },
  'batch-weight': {
    title: 'Batch requests under a per-request rate limit',
    naive:
      'The limiter charges every request 1 unit, a batch of N ids too, and the batch endpoint reads its orders with one query per id.',
    tuned:
      'The limiter charges a batch its distinct ids (its declared weight), and the batch endpoint reads them with one query.',
  },
  timeout: {
    title: 'Client deadline vs server work: a timeout on one side only',
    naive:
      'Client timeout only: the API ignores X-Request-Timeout and gives the database no signal, so a query keeps running (and the API answers) after the caller gave up.',
    tuned:
      'The caller’s X-Request-Timeout becomes the request’s AbortSignal: at the deadline the API answers 504 and cancels the query in PostgreSQL (pg_cancel_backend, statement_timeout as backstop).',
  },
  'request-id': {
    title: 'Browser and server records of one call: joined by a request id, or not',
    naive:
      'No id end to end: the SPA sends no X-Request-ID and the API does not echo the one it makes, so the browser’s RUM record carries an id of its own that no server log line has.',
    tuned:
      'One id end to end: the SPA’s axios interceptor sends X-Request-ID, the API takes it (genReqId), logs it on every line and echoes it; RUM reports it with the Server-Timing it read back.',
  },
  versioning: {
    title: 'Releasing API v2: everyone at once vs a canary',
    naive:
      'Big bang: the release plan moves v2’s share straight to 100 %, so a v2 fault reaches every client before the alert can fire.',
    tuned:
      'Canary: the release plan moves v2’s share 10 → 50 → 100 %, holding each step until TandemV2ErrorRateAboveV1 has had time to evaluate; a fault is caught while few clients are on v2.',
  },
  profiling: {
    title: 'Finding a hot spot on each side: the API’s CPU profile and the browser’s trace',
    naive:
      'The customers report sorts by name with localeCompare(a, b, locale, options), which builds a collator on every comparison; the SPA’s customers page renders every row.',
    tuned:
      'The report compares with one Intl.Collator made once; the SPA renders only the rows in view (@tanstack/vue-virtual). Same order, same rows.',
  },
  'auth-cost': {
    title: 'What authentication costs everyone else: password hashing and session lookups',
    naive:
      'Sign-in and sign-up hash with scryptSync on the event loop (the same parameters), and every request looks its session up in the database.',
    tuned:
      'scrypt runs on libuv’s thread pool, and a session is answered from an in-process cache for SESSION_CACHE_TTL_MS, dropped at once by a sign-out, a sign-out everywhere or any revocation.',
  },
  'scale-out': {
    title: 'Replicas behind a load balancer: state in each process vs shared on Redis',
    naive:
      'Each replica keeps its own rate-limit buckets, numbers and fans out live events in its own process, counts only its own WebSockets and empties only its own caches: N replicas admit N budgets, a client misses the events of orders created through the others, and a reconnect to another replica resumes in a different numbering. Chosen at start (LAB_MODE_SCALE_OUT).',
    tuned:
      'The product with REDIS_URL: the buckets are charged in Redis, live events are numbered once for every replica by a Redis stream (Last-Event-ID resumes on any replica), presence is summed over replicas, and invalidations go over pub/sub.',
  },
} as const satisfies Record<string, { title: string; naive: string; tuned: string }>;

export type LabId = keyof typeof LAB_CATALOGUE;
export const LAB_IDS = Object.keys(LAB_CATALOGUE) as [LabId, ...LabId[]];

export const LabIdSchema = z.enum(LAB_IDS).meta({ id: 'LabId' });
export const LabMode = z.enum(['naive', 'tuned']).meta({ id: 'LabMode' });
export type LabMode = z.output<typeof LabMode>;

export const Lab = z
  .object({
    id: LabIdSchema,
    title: z.string(),
    mode: LabMode,
    naive: z.string().meta({ description: 'What the naive setting does.' }),
    tuned: z.string().meta({ description: 'What the tuned setting does.' }),
    docs: z.string().meta({ description: 'Path of the lab’s page in the repository.' }),
  })
  .meta({ id: 'Lab' });
export type Lab = z.output<typeof Lab>;

export const LabList = z.object({ items: z.array(Lab) }).meta({ id: 'LabList' });
export const LabIdParams = z.strictObject({ id: LabIdSchema }).meta({ id: 'LabIdParams' });
export const SetLabModeBody = z.strictObject({ mode: LabMode }).meta({ id: 'SetLabModeBody' });

export const LabListEnvelope = successEnvelope('LabListEnvelope', 200, LabList);
export const LabEnvelope = successEnvelope('LabEnvelope', 200, Lab);
