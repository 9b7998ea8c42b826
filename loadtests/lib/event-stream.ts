import http from 'k6/http';
import { newRequestId } from './checks.ts';
import { config } from './config.ts';
import { sessionHeaders } from './session.ts';

/**
 * k6 has no EventSource and no streaming response body: it buffers a body until the
 * response ends. An SSE stream never ends, so a listener here is one
 * `http.asyncRequest` that the client's `timeout` cuts after `seconds`; the body that
 * arrived until then is returned with the cut (status 0, error_code 1050, no headers,
 * no `proto`). What it gives: the events delivered in the window. What it cannot give:
 * when each arrived (no per-event latency), the status or protocol of the stream itself.
 * `asyncRequest` leaves the VU free to make API calls meanwhile, on the same connection
 * over HTTP/2, as a browser tab does.
 */
export function openEventStream(seconds: number, origin: string = config.baseUrl) {
  return http.asyncRequest('GET', `${origin}/api/v1/events`, null, {
    headers: { Accept: 'text/event-stream', 'X-Request-ID': newRequestId(), ...sessionHeaders() },
    tags: { route: '/api/v1/events', name: 'GET /api/v1/events' },
    timeout: `${seconds}s`,
  });
}

/** What a stream body held: the `retry:` opening, and the events (`event:` lines; the opening's bare `id:` is no event). */
export function readEventStream(body: string | null | undefined) {
  const text = body ?? '';
  return {
    opened: text.startsWith('retry: '),
    events: text.match(/^event: /gm)?.length ?? 0,
    text,
  };
}
