import type { z } from 'zod';
import { ErrorEnvelope } from './envelope.js';
import { HealthEnvelope, ReadinessEnvelope } from './health.js';
import {
  CreatedOrderEnvelope,
  CreateOrderBody,
  ListOrdersQuery,
  OrderEnvelope,
  OrderIdParams,
  OrderPageEnvelope,
} from './orders.js';

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
  responses: Readonly<Record<number, z.ZodType>>;
}

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
