import { shallowReactive, shallowReadonly } from 'vue';

/** Which custom headers the calls of this tab carry (see src/api/client.ts). */
export interface RequestShaping {
  /**
   * Each call sends an `X-Request-ID` of its own, which the API logs on every line and
   * echoes, so browser and server timings join up. `false`: no call sends one (the API
   * makes one per request; RUM then records an id made in the tab).
   */
  requestIds: boolean;
  /**
   * Reads (GET, HEAD) go out as CORS "simple" requests: no `X-Request-ID`, no
   * `X-Request-Timeout`, so the browser sends them without a preflight (OPTIONS). Chromium
   * caches a preflight per URL, so every order's page (/api/v1/orders/<id>) would cost one:
   * a long Access-Control-Max-Age does not help there, keeping the request simple does.
   * The API then makes the id (echoed, read from the answer) and applies its default
   * deadline; the call still gives up at its own deadline in the browser. Writes keep their
   * headers: a JSON body is not a simple content type, they are preflighted anyway.
   */
  simpleReads: boolean;
}

const shaping = shallowReactive<RequestShaping>({ requestIds: true, simpleReads: true });

/** The shaping in use, reactive (a view can show it). */
export const requestShaping: Readonly<RequestShaping> = shallowReadonly(shaping);

/** Changes how the next calls are shaped; calls in flight keep theirs. */
export function setRequestShaping(next: Partial<RequestShaping>): void {
  if (next.requestIds !== undefined) shaping.requestIds = next.requestIds;
  if (next.simpleReads !== undefined) shaping.simpleReads = next.simpleReads;
}

/** Whether a call of this method goes out without custom headers (see `RequestShaping.simpleReads`). */
export function keepsRequestSimple(method: string | undefined): boolean {
  if (!shaping.simpleReads) return false;
  const verb = method?.toUpperCase();
  return verb === 'GET' || verb === 'HEAD';
}
