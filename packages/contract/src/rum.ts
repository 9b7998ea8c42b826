import { z } from 'zod';
import { successEnvelope } from './envelope.js';
import { REQUEST_ID_PATTERN } from './request-id.js';

/**
 * Real-user monitoring: what the SPA measures in the browser and beacons to
 * `POST /api/v1/rum` (see endpoints.ts). Every label the server derives from a sample
 * comes from a closed set declared here, so a browser can never add a Prometheus series.
 */

/** The SPA's pages: the vue-router route names (apps/web/src/router.ts). */
export const RUM_PAGES = ['orders', 'order-new', 'order', 'customers', 'not-found'] as const;
export const RumPage = z.enum(RUM_PAGES).meta({ id: 'RumPage' });
export type RumPage = z.output<typeof RumPage>;

/**
 * The API routes a browser calls with JSON, as the route patterns the server's own
 * metrics use for their `route` label. A contract test keeps this list equal to the
 * product's endpoints' paths (streams, sockets, /metrics and the probes excluded); calls
 * to any other route, the workshop's lab endpoints included, are not recorded.
 */
export const RUM_API_ROUTES = [
  '/api/v1/orders',
  '/api/v1/orders/batch',
  '/api/v1/orders/:id',
  '/api/v1/admin/event-generator',
  '/api/v1/limits',
  '/api/v1/reports/orders',
  '/api/v1/reports/customers',
  '/api/v1/rollout',
  '/api/v1/admin/rollout',
  '/api/v1/admin/heap-snapshot',
  '/api/v2/orders',
  '/api/v2/orders/batch',
  '/api/v2/orders/:id',
  '/api/version',
  '/api/v1/auth/sign-up',
  '/api/v1/auth/sign-in',
  '/api/v1/auth/me',
  '/api/v1/auth/sign-out',
  '/api/v1/auth/sign-out-everywhere',
] as const;
export const RumApiRoute = z.enum(RUM_API_ROUTES).meta({ id: 'RumApiRoute' });
export type RumApiRoute = z.output<typeof RumApiRoute>;

export const WEB_VITALS = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;
export const WebVitalName = z.enum(WEB_VITALS).meta({ id: 'WebVitalName' });

/** Milliseconds a browser can sensibly report for one phase or one call (2 minutes). */
const Millis = z.number().min(0).max(120_000);

export const WebVitalSample = z
  .strictObject({
    type: z.literal('web-vital'),
    name: WebVitalName,
    /** Milliseconds, except CLS (a unitless layout-shift score). */
    value: z.number().min(0).max(120_000),
    rating: z.enum(['good', 'needs-improvement', 'poor']),
    page: RumPage,
  })
  .meta({ id: 'WebVitalSample', description: 'One web-vitals report (LCP, INP, CLS, FCP, TTFB) of one page view.' });
export type WebVitalSample = z.output<typeof WebVitalSample>;

/** The browser's Resource Timing of one API call, split into its phases (ms; 0 for a reused connection). */
export const ApiCallPhases = z
  .strictObject({
    dnsMs: Millis,
    connectMs: Millis.meta({ description: 'TCP connect, TLS included (connectStart → connectEnd).' }),
    tlsMs: Millis.meta({ description: 'TLS handshake (secureConnectionStart → connectEnd).' }),
    requestMs: Millis.meta({ description: 'Request sent → first response byte (requestStart → responseStart).' }),
    responseMs: Millis.meta({ description: 'First → last response byte (responseStart → responseEnd).' }),
  })
  .meta({ id: 'ApiCallPhases' });

/** The API's own `Server-Timing` (`app;dur=…`, `db;dur=…`) as the browser read it back. */
export const ServerTimingReadBack = z
  .strictObject({ appMs: Millis.optional(), dbMs: Millis.optional() })
  .meta({ id: 'ServerTimingReadBack' });

export const ApiCallSample = z
  .strictObject({
    type: z.literal('api-call'),
    route: RumApiRoute,
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    /** The HTTP status, 0 when no answer came (network error, timeout, cancel). */
    status: z.int().min(0).max(599),
    requestId: z.string().regex(REQUEST_ID_PATTERN),
    /** Resource Timing's nextHopProtocol (`h2`, `http/1.1`), `unknown` when the browser hid it. */
    protocol: z.enum(['h2', 'http/1.1', 'h3', 'unknown']),
    page: RumPage,
    /** Browser-side duration of the whole call (Resource Timing startTime → responseEnd). */
    durationMs: Millis,
    phases: ApiCallPhases.optional().meta({ description: 'Absent when no Resource Timing entry was found.' }),
    server: ServerTimingReadBack.optional(),
    /** 1 for the first try, 2 for the first retry, … (the client's retry policy). */
    attempt: z.int().min(1).max(10),
  })
  .meta({ id: 'ApiCallSample', description: 'One API call as the browser saw it.' });
export type ApiCallSample = z.output<typeof ApiCallSample>;

export const RumSample = z.discriminatedUnion('type', [WebVitalSample, ApiCallSample]).meta({ id: 'RumSample' });
export type RumSample = z.output<typeof RumSample>;

/** At most this many samples in one beacon; the SPA flushes before it reaches it. */
export const RUM_MAX_SAMPLES_PER_BATCH = 50;
/** Upper bound of one beacon's body (the ingest route's body limit); browsers cap a beacon near 64 KiB. */
export const RUM_MAX_BATCH_BYTES = 32 * 1024;

export const RumBatch = z
  .strictObject({
    /** The SPA build that sent it (`import.meta.env` / package version), for logs only: never a label. */
    app: z.string().min(1).max(64),
    samples: z.array(RumSample).min(1).max(RUM_MAX_SAMPLES_PER_BATCH),
  })
  .meta({
    id: 'RumBatch',
    description:
      'A batch of browser measurements, sent with navigator.sendBeacon as text/plain (CORS-safelisted, so no preflight) or application/json.',
  });
export type RumBatch = z.output<typeof RumBatch>;

export const RumReceipt = z
  .object({ accepted: z.int().min(0).meta({ description: 'Samples recorded.' }) })
  .meta({ id: 'RumReceipt' });
export const RumReceiptEnvelope = successEnvelope('RumReceiptEnvelope', 202, RumReceipt);
