import { type ApiCallSample, RUM_PAGES, type RumApiRoute, WEB_VITALS, type WebVitalSample } from '@tandem/contract';

/** What the load driver measured for one API call, as a browser's Resource Timing would split it. */
export interface MeasuredCall {
  route: RumApiRoute;
  status: number;
  requestId: string;
  protocol: ApiCallSample['protocol'];
  startedAt: number;
  /** Connection phases (0 on a reused connection). */
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  /** performance.now() when the request was written, the first response byte came, the last came. */
  requestAt: number;
  firstByteAt: number;
  endedAt: number;
  serverTiming: string | undefined;
  attempt: number;
}

/** The browser-side sample of a call the load driver made and timed itself. */
export function apiCallSample(call: MeasuredCall, page: WebVitalSample['page']): ApiCallSample {
  const timing = Object.fromEntries(
    (call.serverTiming ?? '').split(',').flatMap((entry) => {
      const [name, duration] = entry.trim().split(';dur=');
      return name && duration ? [[name, Number(duration)]] : [];
    }),
  ) as Record<string, number | undefined>;
  const ms = (value: number) => Math.max(0, Math.round(value * 1000) / 1000);
  return {
    type: 'api-call',
    route: call.route,
    method: 'GET',
    status: call.status,
    requestId: call.requestId,
    protocol: call.protocol,
    page,
    durationMs: ms(call.endedAt - call.startedAt),
    phases: {
      dnsMs: ms(call.dnsMs),
      connectMs: ms(call.connectMs),
      tlsMs: ms(call.tlsMs),
      requestMs: ms(call.firstByteAt - call.requestAt),
      responseMs: ms(call.endedAt - call.firstByteAt),
    },
    server: {
      ...(timing.app === undefined ? {} : { appMs: timing.app }),
      ...(timing.db === undefined ? {} : { dbMs: timing.db }),
    },
    attempt: call.attempt,
  };
}

/** Thresholds web-vitals rates with ("good" up to the first, "poor" above the second). */
const THRESHOLDS: Record<WebVitalSample['name'], [number, number]> = {
  LCP: [2500, 4000],
  INP: [200, 500],
  CLS: [0.1, 0.25],
  FCP: [1800, 3000],
  TTFB: [800, 1800],
};

/**
 * One page view's web vitals, synthetic (no browser here) but shaped like web-vitals'
 * reports: each vital varies with the round so the p75 panels have a spread to show.
 */
export function pageViewVitals(round: number): WebVitalSample[] {
  const page = RUM_PAGES[round % RUM_PAGES.length] ?? 'orders';
  return WEB_VITALS.map((name) => {
    const [good, poor] = THRESHOLDS[name];
    const value = name === 'CLS' ? ((round * 7) % 30) / 100 : Math.round(good * (0.3 + ((round * 13) % 17) / 10));
    const rating = value <= good ? 'good' : value <= poor ? 'needs-improvement' : 'poor';
    return { type: 'web-vital', name, value, rating, page };
  });
}
