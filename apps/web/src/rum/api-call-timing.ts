import type { ApiCallSample } from '@tandem/contract';

/** What Resource Timing tells about one API call. */
export type ApiCallTiming = Pick<ApiCallSample, 'protocol' | 'durationMs' | 'phases' | 'server'>;

/** The fields of a `PerformanceResourceTiming` the timing is read from. */
export type ResourceTimingFields = Pick<
  PerformanceResourceTiming,
  | 'startTime'
  | 'nextHopProtocol'
  | 'domainLookupStart'
  | 'domainLookupEnd'
  | 'connectStart'
  | 'connectEnd'
  | 'secureConnectionStart'
  | 'requestStart'
  | 'responseStart'
  | 'responseEnd'
> & { serverTiming?: readonly Pick<PerformanceServerTiming, 'name' | 'duration'>[] | undefined };

/** The contract's ceiling for one duration (ms): a longer one is reported as the ceiling. */
const MAX_MS = 120_000;
const PROTOCOLS: readonly string[] = ['h2', 'http/1.1', 'h3'] satisfies ApiCallSample['protocol'][];

/** A duration as the contract takes it: 0 … 2 minutes, to 0.1 ms (Resource Timing's own resolution). */
export function millis(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return Math.min(MAX_MS, Math.round(value * 10) / 10);
}

/**
 * An API call's protocol, duration, phases and read-back `Server-Timing` from its
 * Resource Timing entry. A cross-origin entry carries its details only when the API
 * sends `Timing-Allow-Origin`; without it `requestStart` is 0, so there are no phases and
 * the protocol is `unknown`.
 */
export function apiCallTimingOf(entry: ResourceTimingFields): ApiCallTiming {
  const timing: ApiCallTiming = {
    protocol: PROTOCOLS.includes(entry.nextHopProtocol)
      ? (entry.nextHopProtocol as ApiCallTiming['protocol'])
      : 'unknown',
    durationMs: millis(entry.responseEnd - entry.startTime),
  };
  if (entry.requestStart > 0) {
    // A reused connection has no DNS lookup, connect or TLS: start and end are equal, so 0.
    timing.phases = {
      dnsMs: millis(entry.domainLookupEnd - entry.domainLookupStart),
      connectMs: millis(entry.connectEnd - entry.connectStart),
      tlsMs: entry.secureConnectionStart > 0 ? millis(entry.connectEnd - entry.secureConnectionStart) : 0,
      requestMs: millis(entry.responseStart - entry.requestStart),
      responseMs: millis(entry.responseEnd - entry.responseStart),
    };
  }
  const server = serverTimingOf(entry.serverTiming ?? []);
  if (server) timing.server = server;
  return timing;
}

/** The API's `Server-Timing: app;dur=…, db;dur=…` as the browser parsed it; `undefined` when it sent neither. */
export function serverTimingOf(
  metrics: readonly Pick<PerformanceServerTiming, 'name' | 'duration'>[],
): ApiCallTiming['server'] {
  const app = metrics.find((metric) => metric.name === 'app');
  const db = metrics.find((metric) => metric.name === 'db');
  if (!app && !db) return undefined;
  return {
    ...(app && { appMs: millis(app.duration) }),
    ...(db && { dbMs: millis(db.duration) }),
  };
}
