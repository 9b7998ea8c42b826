// Lab h2-sse at protocol level: API calls while event streams are open, over the HTTP/2
// origin (tuned: BASE_URL) or the HTTP/1.1-only listener (naive: API_H1_URL).
// k6 run -e LAB_MODE=naive -e API_H1_URL=https://localhost:8444 scenarios/labs/h2-sse.ts
// k6 run -e LAB_MODE=tuned -e ADMIN_TOKEN=… scenarios/labs/h2-sse.ts
//
// What k6 can show and what it cannot: k6's Go client has no 6-connections-per-origin
// limit, so the naive side never stalls here the way Chromium does (that stall is what
// `pnpm lab h2-sse` measures). What it shows is the cost underneath: over HTTP/1.1 every
// open stream pins a connection of its own (counted in tandem_k6_h2sse_new_connections),
// over HTTP/2 the streams and the calls share one, and the calls' latency with streams
// open, per mode.
import { check, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { callApi } from '../../lib/api.ts';
import { checkEnvelope } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { openEventStream, readEventStream } from '../../lib/event-stream.ts';
import { type LabSetupData, labTags, restoreLab, switchLab } from '../../lib/lab-switch.ts';
import { profile } from '../../lib/profiles.ts';
import { routeErrors, routeLatency } from '../../lib/thresholds.ts';

/** Streams each VU holds: the browser's per-origin connection limit, which HTTP/1.1 exhausts. */
const STREAMS_PER_VU = 6;
/** How long the streams stay open; the API calls happen inside this window. */
const LISTEN_SECONDS = 6;
/** API calls made while the streams are open. */
const CALLS_PER_ITERATION = 8;

const naive = config.labMode === 'naive';
const origin = naive ? config.apiH1Url : config.baseUrl;
const expectedProto = naive ? 'HTTP/1.1' : 'HTTP/2.0';

const newConnections = new Counter('tandem_k6_h2sse_new_connections');
const callWithStreams = new Trend('tandem_k6_h2sse_api_call_ms', true);
const sseEvents = new Counter('tandem_k6_sse_events');

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  tags: labTags('h2-sse'),
  thresholds: {
    // The streams end by their timeout (k6 counts that as failed): errors are per route.
    ...routeErrors('/api/v1/orders'),
    checks: ['rate>0.99'],
    ...routeLatency('/api/v1/orders', 300, 500),
    tandem_k6_h2sse_api_call_ms: ['p(95)<300', 'p(99)<500'],
  },
};

export function setup(): LabSetupData {
  return switchLab('h2-sse');
}

export function teardown(data: LabSetupData) {
  restoreLab('h2-sse', data);
}

export default async function h2SseLab() {
  const streams = Array.from({ length: STREAMS_PER_VU }, () => openEventStream(LISTEN_SECONDS, origin));
  sleep(0.5); // the streams are open (or queued) before the calls start

  for (let call = 0; call < CALLS_PER_ITERATION; call++) {
    const { res, requestId } = callApi('GET', '/api/v1/orders?limit=20', '/api/v1/orders', undefined, { origin });
    checkEnvelope(res, 200, requestId, expectedProto);
    callWithStreams.add(res.timings.duration);
    // A TCP connect in this call's timings: it found no connection to reuse.
    if (res.timings.connecting > 0) newConnections.add(1, { kind: 'api' });
    sleep(0.3);
  }

  for (const res of await Promise.all(streams)) {
    const { opened, events } = readEventStream(res.body as string | null);
    sseEvents.add(events);
    if (res.timings.connecting > 0) newConnections.add(1, { kind: 'stream' });
    check(res, { 'stream opened (retry: first)': () => opened });
  }
}
