import type { LabId, LabMode } from '@tandem/contract/labs';
import { setApiOrigin } from '../api/api-origin';
import { setRequestShaping } from '../api/request-shaping';
import { setResponseDecoder } from '../api/response-decoder';
import { alignedRetryPolicy, defaultRetryPolicy, type RetryPolicy, setRetryPolicy } from '../api/retry-policy';
import { setCustomersRendering } from '../components/customers/customers-rendering';
import { config } from '../config';
import { setCloseOnDispose } from '../live/close-on-dispose';
import { labsConfig } from './labs-config';
import { naiveSuccessData } from './naive-dates';

/** The retry policy each setting of the retry-429 lab stands for. */
export function retryPolicyOf(mode: LabMode): RetryPolicy {
  return mode === 'naive' ? defaultRetryPolicy : alignedRetryPolicy;
}

/**
 * What each lab changes in this tab: its setting mapped onto a seam of the product, whose
 * default is the tuned behaviour. The only place in the SPA where a lab meets the code it
 * flips; labs not listed here change the API only (their Lab console panel shows it).
 */
export const LAB_SEAMS: { readonly [Id in LabId]?: (mode: LabMode) => void } = {
  // lab h2-sse: naive → the HTTP/1.1-only listener (each EventSource holds one of 6 connections)
  //             tuned → the HTTP/2 listener (one connection, many streams)
  // The axios instance, the EventSource, the WebSocket and RUM's beacons follow apiOrigin.
  'h2-sse': (mode) => setApiOrigin(mode === 'naive' ? labsConfig.apiH1Url : config.apiUrl),

  // lab cors-preflight: naive → every call carries the custom headers, GETs too: one preflight per URL
  //                     (and per header set) the browser has not cached
  //                     tuned → reads go out simple (no X-Request-ID, no X-Request-Timeout); writes keep
  //                     their headers (a JSON body needs a preflight anyway)
  'cors-preflight': (mode) => setRequestShaping({ simpleReads: mode === 'tuned' }),

  // lab request-id: naive → no id sent (and the API echoes none): RUM's record gets an id of its
  //                         own (src/rum/api-call-recorder.ts), the server log another
  //                 tuned → one id end to end: sent by the axios interceptor (a read kept simple
  //                         sends none and the API makes it), logged, echoed, and in RUM
  'request-id': (mode) => setRequestShaping({ requestIds: mode === 'tuned' }),

  // lab retry-429: naive → defaultRetryPolicy: what vue-query and axios do out of the box, every
  //                        failed read tried 3 more times after 1, 2, 4 s, a 429 too, Retry-After ignored
  //                tuned → alignedRetryPolicy: a 4xx is final except 429/503, which wait for
  //                        Retry-After (capped by the limiter's own limits); a shared retry budget
  'retry-429': (mode) => setRetryPolicy(retryPolicyOf(mode)),

  // lab date-codec: naive → no codec, the parsed JSON with dates revived ad hoc (naive-dates.ts)
  //                 tuned → the contract's decode in call(): RFC 3339 UTC → Date, anything else BAD_RESPONSE
  'date-codec': (mode) => setResponseDecoder(mode === 'naive' ? naiveSuccessData : undefined),

  // lab leaks: naive → components mounted from now on never close their EventSource, WebSocket
  //                    or timers: they outlive the component, each holding a connection
  //            tuned → closeOnDispose closes them with the component
  leaks: (mode) => setCloseOnDispose(mode === 'tuned'),

  // lab profiling: naive → the Customers page renders every row (thousands, in one long task)
  //                tuned → only the rows in view (virtual scrolling)
  profiling: (mode) => setCustomersRendering(mode === 'naive' ? 'all-rows' : 'virtual'),
};
