import { labModes } from './lab-modes';

/**
 * Whether a call of this method is sent as a CORS "simple" request: no custom header, so
 * the browser sends it without a preflight (OPTIONS) first. Chromium caches a preflight per
 * URL, so every order's detail page (/api/v1/orders/<id>) would cost one: a long
 * Access-Control-Max-Age does not help there, keeping the request simple does.
 *
 * When true, src/api/client.ts sends neither X-Request-ID (the API makes the id and echoes
 * it; RUM reads it from the answer, src/rum/api-call-recorder.ts) nor X-Request-Timeout (the
 * API gives the request its default deadline, DEADLINES.serverDefaultMs); the call still
 * gives up at its own deadline in the browser.
 */
export function keepsRequestSimple(method: string | undefined): boolean {
  // lab cors-preflight: naive → every call carries the custom headers, GETs too: one preflight per URL
  //                     (and per header set) the browser has not cached
  if (labModes['cors-preflight'] === 'naive') return false;
  // lab cors-preflight: tuned → reads go out simple; writes keep their headers (they need a preflight anyway:
  //                     a JSON body is not a simple content type)
  const verb = method?.toUpperCase();
  return verb === 'GET' || verb === 'HEAD';
}
