import { CANARY_HEADER, IDEMPOTENCY_KEY_HEADER, REQUEST_ID_HEADER, REQUEST_TIMEOUT_HEADER } from '@tandem/contract';
import type { LabMode } from '@tandem/contract/labs';

/**
 * The longest preflight cache Chromium honours (it clamps `Access-Control-Max-Age` to 2 h;
 * Firefox allows 24 h, Safari 10 min). Without the header Chromium keeps a preflight 5 s.
 */
export const PREFLIGHT_MAX_AGE_SECONDS = 7_200;

/**
 * Every request header the SPA and the API's other clients may send cross-origin, lowercase
 * and sorted, in one list: one preflight then covers every header set a URL is called with.
 * An EventSource that reconnects sends Last-Event-ID; a create sends Idempotency-Key; a write
 * sends its deadline (X-Request-Timeout) and its request id; the Lab console sends its bearer token;
 * the version check may send X-Api-Canary (an explicit v1/v2 choice, docs/versioning.md).
 */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  IDEMPOTENCY_KEY_HEADER,
  'last-event-id',
  REQUEST_ID_HEADER,
  REQUEST_TIMEOUT_HEADER,
  CANARY_HEADER,
].sort();

export interface CorsPreflightPolicy {
  /** `Access-Control-Max-Age` in seconds; null sends none. */
  maxAge: number | null;
  /** The `Access-Control-Allow-Headers` list; null echoes the preflight's `Access-Control-Request-Headers`. */
  allowedHeaders: readonly string[] | null;
}

/**
 * What the cors-preflight lab's two settings answer to a preflight (plugins/external/cors.ts).
 * The SPA's half of the lab, which requests need a preflight at all, is
 * apps/web/src/labs/simple-requests.ts.
 */
export function corsPreflightPolicy(mode: LabMode): CorsPreflightPolicy {
  // lab cors-preflight: naive → no max-age (Chromium caches 5 s), the asked-for headers echoed back, so a
  //                     cached preflight covers only the header set it was made for
  if (mode === 'naive') return { maxAge: null, allowedHeaders: null };
  // lab cors-preflight: tuned → the browser's cap as max-age, one complete list
  return { maxAge: PREFLIGHT_MAX_AGE_SECONDS, allowedHeaders: CORS_ALLOWED_HEADERS };
}
