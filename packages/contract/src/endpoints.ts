import { z } from 'zod';
import { ErrorEnvelope } from './envelope.js';
import { LiveEvent, WsClientMessage, WsServerMessage } from './events.js';
import { HealthEnvelope, ReadinessEnvelope } from './health.js';
import {
  EventGeneratorEnvelope,
  EventGeneratorSettings,
  LabEnvelope,
  LabIdParams,
  LabListEnvelope,
  SetLabModeBody,
} from './labs.js';
import {
  CreatedOrderEnvelope,
  CreateOrderBody,
  ListOrdersQuery,
  OrderEnvelope,
  OrderIdParams,
  OrderPageEnvelope,
  UpdateOrderStatusBody,
} from './orders.js';
import { RumBatch, RumReceiptEnvelope } from './rum.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

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
  body?: z.ZodType;
  /**
   * What the success answer is, when it is not one JSON envelope: a Server-Sent Events
   * stream (the 200 schema is one event's `data`), a WebSocket (101; `messages` are the
   * frames each way), or Prometheus text.
   */
  produces?: 'text/event-stream' | 'websocket' | 'prometheus';
  messages?: { fromServer: z.ZodType; fromClient: z.ZodType };
  /** Needs `Authorization: Bearer <LAB_ADMIN_TOKEN>`. */
  auth?: 'admin';
  responses: Readonly<Record<number, z.ZodType>>;
}

/** The Prometheus text exposition format: documented as text, not parsed by the contract. */
const PrometheusText = z
  .string()
  .meta({ id: 'PrometheusText', description: 'Prometheus text exposition format 0.0.4' });

/** Answers any JSON endpoint can give whatever its input: a crash is still an envelope. */
const always = { 500: ErrorEnvelope } as const;
/** Answers of every endpoint that parses a JSON body. */
const bodyErrors = { 400: ErrorEnvelope, 413: ErrorEnvelope, 415: ErrorEnvelope } as const;

export const endpoints = {
  listOrders: {
    method: 'GET',
    path: '/api/v1/orders',
    summary: 'List orders, newest first, one page at a time (keyset cursor).',
    tags: ['orders'],
    query: ListOrdersQuery,
    responses: { 200: OrderPageEnvelope, 400: ErrorEnvelope, ...always },
  },
  getOrder: {
    method: 'GET',
    path: '/api/v1/orders/:id',
    summary: 'Get one order by id.',
    tags: ['orders'],
    params: OrderIdParams,
    responses: { 200: OrderEnvelope, 400: ErrorEnvelope, 404: ErrorEnvelope, ...always },
  },
  createOrder: {
    method: 'POST',
    path: '/api/v1/orders',
    summary: 'Create an order; the server computes `total` and sets `status` to pending.',
    tags: ['orders'],
    body: CreateOrderBody,
    responses: { 201: CreatedOrderEnvelope, ...bodyErrors, ...always },
  },
  updateOrderStatus: {
    method: 'PATCH',
    path: '/api/v1/orders/:id',
    summary: 'Move an order to its next status (see ORDER_STATUS_TRANSITIONS); publishes order.status_changed.',
    tags: ['orders'],
    params: OrderIdParams,
    body: UpdateOrderStatusBody,
    responses: { 200: OrderEnvelope, ...bodyErrors, 404: ErrorEnvelope, 409: ErrorEnvelope, ...always },
  },
  orderEvents: {
    method: 'GET',
    path: '/api/v1/events',
    summary:
      'Server-Sent Events of order activity. Send `Last-Event-ID` to resume; a `stream.reset` event says the replay window was passed.',
    tags: ['live'],
    produces: 'text/event-stream',
    responses: { 200: LiveEvent, 400: ErrorEnvelope, ...always },
  },
  liveSocket: {
    method: 'GET',
    path: '/api/v1/ws',
    summary: 'WebSocket (HTTP/1.1 Upgrade) of order status updates and the presence count; the server pings.',
    tags: ['live'],
    produces: 'websocket',
    messages: { fromServer: WsServerMessage, fromClient: WsClientMessage },
    responses: { 101: WsServerMessage, 400: ErrorEnvelope, 403: ErrorEnvelope, 503: ErrorEnvelope, ...always },
  },
  listLabs: {
    method: 'GET',
    path: '/api/v1/labs',
    summary: 'The performance labs and the active setting of each.',
    tags: ['labs'],
    responses: { 200: LabListEnvelope, ...always },
  },
  setLabMode: {
    method: 'PUT',
    path: '/api/v1/admin/labs/:id',
    summary: 'Flip a lab between naive and tuned at run time.',
    tags: ['labs'],
    auth: 'admin',
    params: LabIdParams,
    body: SetLabModeBody,
    responses: { 200: LabEnvelope, ...bodyErrors, 401: ErrorEnvelope, 403: ErrorEnvelope, ...always },
  },
  setEventGenerator: {
    method: 'PUT',
    path: '/api/v1/admin/event-generator',
    summary: 'Start, change or stop (0/s) the synthetic event generator used by labs and benchmarks.',
    tags: ['labs'],
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
    body: RumBatch,
    responses: { 202: RumReceiptEnvelope, ...bodyErrors, 429: ErrorEnvelope, ...always },
  },
  metrics: {
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics of the API (text exposition format); see observability/METRICS.md.',
    tags: ['operations'],
    produces: 'prometheus',
    responses: { 200: PrometheusText },
  },
  health: {
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness: the process is up.',
    tags: ['operations'],
    responses: { 200: HealthEnvelope, ...always },
  },
  ready: {
    method: 'GET',
    path: '/readyz',
    summary: 'Readiness: the database answers.',
    tags: ['operations'],
    responses: { 200: ReadinessEnvelope, 503: ErrorEnvelope, ...always },
  },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;

/** `/api/v1/orders/:id` + `{ id }` → `/api/v1/orders/…`, each value URI-encoded. */
export function pathOf(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
}
