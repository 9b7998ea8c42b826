import type { ClientHttp2Session } from 'node:http2';
import { IDEMPOTENCY_KEY_HEADER } from '@tandem/contract';
import { type H2Response, h2Request } from './h2-request.js';

/**
 * The SPA's retry rules (apps/web/src/api/retry-policy.ts, `alignedRetryPolicy`), restated
 * for a test client on node:http2: the SPA's own module runs in a browser, on axios. Kept to
 * the rules the edge suite relies on; the retry budget is left out (a handful of retries
 * never empties it).
 */
export const SPA_RETRY = { maxAttempts: 3, baseDelayMs: 250, maxBackoffMs: 4_000, maxRetryAfterMs: 4_000 } as const;

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** What a browser sends again on its own, without telling the page (RFC 9113 §8.7). */
const REFUSED = 'NGHTTP2_REFUSED_STREAM';

export interface SpaCallRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What the page sees: the last answer, or the last failure with no answer (`status` 0). */
export interface SpaCallResult {
  status: number;
  body: Buffer;
  headers: H2Response['headers'];
  /** Attempts the retry policy made (a browser's silent resends not counted). */
  attempts: number;
  error?: Error;
}

/**
 * One call as the SPA makes it through a browser, on the session `session()` gives (a new
 * one when the last was closed, as a browser reconnects):
 * - a stream refused with REFUSED_STREAM was not processed: sent again at once, as the browser does;
 * - no answer (a reset, a dropped connection), a 5xx but 504, a 429 and a 503 are retried, the
 *   429/503 after the `data.retryAfterMs` they ask for, the others after an exponential
 *   backoff with full jitter; a write only when it carries an Idempotency-Key (the same key
 *   on every attempt); at most `SPA_RETRY.maxAttempts` attempts.
 */
export async function spaRetryingCall(
  session: () => Promise<ClientHttp2Session>,
  request: SpaCallRequest,
  random: () => number = Math.random,
): Promise<SpaCallResult> {
  const method = request.method ?? 'GET';
  const mayRetry = !WRITES.has(method) || IDEMPOTENCY_KEY_HEADER in (request.headers ?? {});
  for (let attempt = 1; ; attempt++) {
    let result: SpaCallResult;
    try {
      const answer = await sendAsBrowser(session, { ...request, method });
      result = { ...answer, attempts: attempt };
    } catch (error) {
      result = { status: 0, body: Buffer.alloc(0), headers: {}, attempts: attempt, error: error as Error };
    }
    const { status } = result;
    const retryable = status === 0 || status === 429 || (status >= 500 && status !== 504);
    if (!retryable || !mayRetry || attempt >= SPA_RETRY.maxAttempts) return result;
    const asked = status === 429 || status === 503 ? retryAfterMs(result.body) : undefined;
    if (asked !== undefined && asked > SPA_RETRY.maxRetryAfterMs) return result;
    const window = Math.min(SPA_RETRY.maxBackoffMs, SPA_RETRY.baseDelayMs * 2 ** (attempt - 1));
    const delayMs = asked ?? Math.floor(random() * window);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

async function sendAsBrowser(
  session: () => Promise<ClientHttp2Session>,
  request: SpaCallRequest & { method: string },
): Promise<H2Response> {
  for (let resend = 0; ; resend++) {
    try {
      return await h2Request(await session(), request);
    } catch (error) {
      if (resend >= 2 || !String((error as Error).message).includes(REFUSED)) throw error;
    }
  }
}

/** `data.retryAfterMs` of an error envelope, when the answer is one. */
function retryAfterMs(body: Buffer): number | undefined {
  try {
    const value = JSON.parse(body.toString()).data?.retryAfterMs;
    return typeof value === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}
