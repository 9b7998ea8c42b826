import { z } from 'zod';
import {
  SESSION_COOKIE,
  SessionEnvelope,
  SignedOutEnvelope,
  SignedUpEnvelope,
  SignInBody,
  SignUpBody,
} from './accounts.js';
import { RolloutStateEnvelope, SetRolloutBody, VersionAssignmentEnvelope, VersionHeaders } from './api-versions.js';
import { CustomersReportEnvelope, CustomersReportQuery } from './customers-report.js';
import { ANSWERS, type Endpoint } from './endpoint.js';
import { ErrorEnvelope } from './envelope.js';
import { EventGeneratorEnvelope, EventGeneratorSettings } from './event-generator.js';
import { LiveEvent, WsClientMessage, WsServerMessage } from './events.js';
import { HealthEnvelope, ReadinessEnvelope } from './health.js';
import { HeapSnapshotFileEnvelope } from './heap-snapshots.js';
import { LimitsEnvelope } from './limits.js';
import {
  BatchOrdersQuery,
  CreatedOrderEnvelope,
  CreateOrderBody,
  CreateOrderHeaders,
  ListOrdersQuery,
  MAX_BATCH_IDS,
  OrderEnvelope,
  OrderIdParams,
  OrderPageEnvelope,
  OrdersBatchEnvelope,
  UpdateOrderStatusBody,
} from './orders.js';
import { OrdersReportEnvelope } from './reports.js';
import { RumBatch, RumReceiptEnvelope } from './rum.js';

/** The Prometheus text exposition format: documented as text, not parsed by the contract. */
const PrometheusText = z
  .string()
  .meta({ id: 'PrometheusText', description: 'Prometheus text exposition format 0.0.4' });

const { always, bodyErrors, limited, sameOrigins, signedIn } = ANSWERS;

/**
 * Every endpoint but v2's orders and the labs': what a client needs before, or without, loading v2 (the
 * SPA's shared code imports this, so a v1 user's bundle holds no v2 schema).
 */
export const coreEndpoints = {
  listOrders: {
    method: 'GET',
    path: '/api/v1/orders',
    summary: 'List orders, newest first, one page at a time (keyset cursor).',
    tags: ['orders'],
    auth: 'session',
    query: ListOrdersQuery,
    rateLimit: { bucket: 'api' },
    responses: { ...signedIn, 200: OrderPageEnvelope, 400: ErrorEnvelope, ...limited, ...always },
  },
  getOrdersBatch: {
    method: 'GET',
    path: '/api/v1/orders/batch',
    summary: `Get up to ${MAX_BATCH_IDS} orders by id in one call, read with one query. \`ids\` comma-separated (\`?ids=a,b\`), repeated (\`?ids=a&ids=b\`) or both; duplicates are answered once; \`items\` come in the order the ids were sent and ids no order has are listed in \`missing\` (not an error). More than ${MAX_BATCH_IDS} ids, or a bad one, is a 400 naming \`query.ids\` or \`query.ids.<position>\`.`,
    tags: ['orders'],
    auth: 'session',
    query: BatchOrdersQuery,
    rateLimit: { bucket: 'api', cost: 'ids' },
    responses: { ...signedIn, 200: OrdersBatchEnvelope, 400: ErrorEnvelope, ...limited, ...always },
  },
  getOrder: {
    method: 'GET',
    path: '/api/v1/orders/:id',
    summary: 'Get one order by id.',
    tags: ['orders'],
    auth: 'session',
    params: OrderIdParams,
    rateLimit: { bucket: 'api' },
    responses: { ...signedIn, 200: OrderEnvelope, 400: ErrorEnvelope, 404: ErrorEnvelope, ...limited, ...always },
  },
  createOrder: {
    method: 'POST',
    path: '/api/v1/orders',
    summary:
      'Create an order; the server computes `total` and sets `status` to pending. Send an `Idempotency-Key` to make it safe to retry: a repeat with the same key and body answers the first result with `Idempotent-Replayed: true`; the same key with another body is a 422.',
    tags: ['orders'],
    auth: 'session',
    headers: CreateOrderHeaders,
    body: CreateOrderBody,
    rateLimit: { bucket: 'api' },
    responses: {
      ...signedIn,
      ...sameOrigins,
      201: CreatedOrderEnvelope,
      ...bodyErrors,
      422: ErrorEnvelope,
      ...limited,
      ...always,
    },
  },
  updateOrderStatus: {
    method: 'PATCH',
    path: '/api/v1/orders/:id',
    summary: 'Move an order to its next status (see ORDER_STATUS_TRANSITIONS); publishes order.status_changed.',
    tags: ['orders'],
    auth: 'session',
    params: OrderIdParams,
    body: UpdateOrderStatusBody,
    rateLimit: { bucket: 'api' },
    responses: {
      ...signedIn,
      ...sameOrigins,
      200: OrderEnvelope,
      ...bodyErrors,
      404: ErrorEnvelope,
      409: ErrorEnvelope,
      ...limited,
      ...always,
    },
  },
  orderEvents: {
    method: 'GET',
    path: '/api/v1/events',
    summary:
      'Server-Sent Events of order activity. Send `Last-Event-ID` to resume; a `stream.reset` event says the replay window was passed.',
    tags: ['live'],
    auth: 'session',
    produces: 'text/event-stream',
    responses: { ...signedIn, 200: LiveEvent, 400: ErrorEnvelope, ...always },
  },
  liveSocket: {
    method: 'GET',
    path: '/api/v1/ws',
    summary: 'WebSocket (HTTP/1.1 Upgrade) of order status updates and the presence count; the server pings.',
    tags: ['live'],
    auth: 'session',
    produces: 'websocket',
    messages: { fromServer: WsServerMessage, fromClient: WsClientMessage },
    responses: {
      ...signedIn,
      101: WsServerMessage,
      400: ErrorEnvelope,
      403: ErrorEnvelope,
      503: ErrorEnvelope,
      ...always,
    },
  },
  setEventGenerator: {
    method: 'PUT',
    path: '/api/v1/admin/event-generator',
    summary: 'Start, change or stop (0/s) the synthetic event generator used by benchmarks, load tests and labs.',
    tags: ['operations'],
    auth: 'admin',
    body: EventGeneratorSettings,
    responses: { 200: EventGeneratorEnvelope, ...bodyErrors, 401: ErrorEnvelope, 403: ErrorEnvelope, ...always },
  },
  ingestRum: {
    method: 'POST',
    path: '/api/v1/rum',
    summary:
      'Browser measurements (web vitals, API call timings) from navigator.sendBeacon; exported as tandem_rum_* metrics. Body as text/plain or application/json.',
    tags: ['operations'],
    auth: 'public',
    body: RumBatch,
    bodyMediaTypes: ['application/json', 'text/plain'],
    rateLimit: { bucket: 'rum' },
    responses: { 202: RumReceiptEnvelope, ...bodyErrors, ...limited, ...always },
  },
  getLimits: {
    method: 'GET',
    path: '/api/v1/limits',
    summary:
      'The limits the API enforces (rate-limit buckets per client and their weighting), so clients pace themselves by the same numbers.',
    tags: ['operations'],
    auth: 'session',
    rateLimit: { bucket: 'api' },
    responses: { ...signedIn, 200: LimitsEnvelope, ...limited, ...always },
  },
  getOrdersReport: {
    method: 'GET',
    path: '/api/v1/reports/orders',
    summary:
      'Revenue and order count per UTC day and status over every order: a heavy aggregate. Answers 504 DEADLINE_EXCEEDED when it runs past the request deadline (`X-Request-Timeout`); on PostgreSQL the query is cancelled on the server.',
    tags: ['reports'],
    auth: 'session',
    rateLimit: { bucket: 'api' },
    responses: {
      ...signedIn,
      403: ErrorEnvelope,
      200: OrdersReportEnvelope,
      400: ErrorEnvelope,
      ...limited,
      504: ErrorEnvelope,
      ...always,
    },
  },
  getCustomersReport: {
    method: 'GET',
    path: '/api/v1/reports/customers',
    summary:
      'Every customer with their order count, revenue and newest order, sorted by name as people read names (ICU `en` collation, digits as numbers) rather than by the database’s collation. The profiling lab’s server hot spot: naive compares with `localeCompare(a, b, locale, options)` (a new collator per comparison), tuned with one `Intl.Collator`; the same answer.',
    tags: ['reports'],
    auth: 'session',
    query: CustomersReportQuery,
    rateLimit: { bucket: 'api' },
    responses: {
      ...signedIn,
      403: ErrorEnvelope,
      200: CustomersReportEnvelope,
      400: ErrorEnvelope,
      ...limited,
      504: ErrorEnvelope,
      ...always,
    },
  },
  getVersion: {
    method: 'GET',
    path: '/api/version',
    summary:
      'The API version this client should use (v1 or v2) and why. Sets the sticky `tandem_canary_bucket` cookie on first call; send `x-api-canary: v2|v1` to opt in or out. Call it with credentials so the cookie travels.',
    tags: ['versions'],
    auth: 'public',
    headers: VersionHeaders,
    rateLimit: { bucket: 'api' },
    responses: { 200: VersionAssignmentEnvelope, 400: ErrorEnvelope, ...limited, ...always },
  },
  getRollout: {
    method: 'GET',
    path: '/api/v1/rollout',
    summary: 'The v2 rollout: whether v2 is enabled, its share of clients and the injected fault rate.',
    tags: ['versions'],
    auth: 'session',
    rateLimit: { bucket: 'api' },
    responses: { ...signedIn, 200: RolloutStateEnvelope, ...limited, ...always },
  },
  setRollout: {
    method: 'PUT',
    path: '/api/v1/admin/rollout',
    summary:
      'Change the v2 rollout at run time; `{"v2Enabled": false}` is the one-switch rollback (every client v1 at its next /api/version).',
    tags: ['versions'],
    auth: 'admin',
    body: SetRolloutBody,
    responses: { 200: RolloutStateEnvelope, ...bodyErrors, 401: ErrorEnvelope, 403: ErrorEnvelope, ...always },
  },
  takeHeapSnapshot: {
    method: 'POST',
    path: '/api/v1/admin/heap-snapshot',
    summary:
      'Write a V8 heap snapshot of the API into HEAP_SNAPSHOT_DIR (as SIGUSR2 does) and answer its path and size; 409 while one is being written. Compare two with `pnpm run profile heap-diff` or DevTools → Memory → Comparison (docs/profiling.md).',
    tags: ['operations'],
    auth: 'admin',
    responses: { 200: HeapSnapshotFileEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 409: ErrorEnvelope, ...always },
  },
  signUp: {
    method: 'POST',
    path: '/api/v1/auth/sign-up',
    summary: `Create an account (role \`user\`) and sign it in: sets the \`${SESSION_COOKIE}\` cookie. An e-mail that already has an account is a 409 EMAIL_TAKEN.`,
    tags: ['auth'],
    auth: 'public',
    body: SignUpBody,
    rateLimit: { bucket: 'signIn' },
    responses: { 201: SignedUpEnvelope, ...bodyErrors, ...sameOrigins, 409: ErrorEnvelope, ...limited, ...always },
  },
  signIn: {
    method: 'POST',
    path: '/api/v1/auth/sign-in',
    summary: `Start a session: sets the \`${SESSION_COOKIE}\` cookie (Secure, HttpOnly, SameSite=Lax, Path=/), whose expiry rolls forward while it is used. An unknown e-mail and a wrong password get the same 401 INVALID_CREDENTIALS. Limited per client and per account (429).`,
    tags: ['auth'],
    auth: 'public',
    body: SignInBody,
    rateLimit: { bucket: 'signIn' },
    responses: { 200: SessionEnvelope, ...bodyErrors, 401: ErrorEnvelope, ...sameOrigins, ...limited, ...always },
  },
  getMe: {
    method: 'GET',
    path: '/api/v1/auth/me',
    summary: 'Who am I: the signed-in account and when its session ends; 401 without a session.',
    tags: ['auth'],
    auth: 'session',
    rateLimit: { bucket: 'api' },
    responses: { ...signedIn, 200: SessionEnvelope, ...limited, ...always },
  },
  signOut: {
    method: 'POST',
    path: '/api/v1/auth/sign-out',
    summary: 'End this session (revoked in the database at once) and clear its cookie.',
    tags: ['auth'],
    auth: 'session',
    rateLimit: { bucket: 'api' },
    responses: { ...signedIn, ...sameOrigins, 200: SignedOutEnvelope, ...limited, ...always },
  },
  signOutEverywhere: {
    method: 'POST',
    path: '/api/v1/auth/sign-out-everywhere',
    summary: 'End every session of this account, on every device, this one included; each is refused at its next call.',
    tags: ['auth'],
    auth: 'session',
    rateLimit: { bucket: 'api' },
    responses: { ...signedIn, ...sameOrigins, 200: SignedOutEnvelope, ...limited, ...always },
  },
  metrics: {
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics of the API (text exposition format); see observability/METRICS.md.',
    tags: ['operations'],
    auth: 'public',
    produces: 'prometheus',
    responses: { 200: PrometheusText },
  },
  health: {
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness: the process is up.',
    tags: ['operations'],
    auth: 'public',
    responses: { 200: HealthEnvelope, ...always },
  },
  ready: {
    method: 'GET',
    path: '/readyz',
    summary: 'Readiness: the database answers and the API is not shedding load (503 `OVERLOADED` while it is).',
    tags: ['operations'],
    auth: 'public',
    responses: { 200: ReadinessEnvelope, 503: ErrorEnvelope, ...always },
  },
} as const satisfies Record<string, Endpoint>;

/** `/api/v1/orders/:id` + `{ id }` → `/api/v1/orders/…`, each value URI-encoded. */
export function pathOf(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
}
