import { type ApiCallSample, RUM_API_ROUTES, type RumSample, type WebVitalSample } from '@tandem/contract';
import type { Counter, Histogram } from 'prom-client';
import { statusClassOf, versionOf } from '../../plugins/app/http-metrics.js';
import type { RumApiCallLabel, TandemMetrics } from '../../plugins/external/metrics.js';

type HistogramChild = ReturnType<Histogram<string>['labels']>;
type CounterChild = ReturnType<Counter<string>['labels']>;

const PHASES = [
  ['dns', 'dnsMs'],
  ['connect', 'connectMs'],
  ['tls', 'tlsMs'],
  ['request', 'requestMs'],
  ['response', 'responseMs'],
] as const satisfies readonly (readonly [string, keyof NonNullable<ApiCallSample['phases']>])[];

/** What a browser reported for a call that got no answer (status 0): not a status class the server could have. */
const NO_ANSWER = 'none';

/** The cached value of `key`, made once by `make`. */
function cached<Value>(cache: Map<string, Value>, key: string, make: () => Value): Value {
  let found = cache.get(key);
  if (found === undefined) {
    found = make();
    cache.set(key, found);
  }
  return found;
}

/** Label children of one route, built once: a sample costs Map lookups, never a label-set hash. */
interface RouteChildren {
  phases: Record<(typeof PHASES)[number][0], HistogramChild>;
  app: HistogramChild;
  db: HistogramChild;
  retries: CounterChild;
}

/**
 * Turns validated RUM samples into the tandem_rum_* series. Every label value comes
 * from the contract's closed sets (pages, vitals, routes, methods, protocols), and
 * `route` / `version` are exactly what the server's own tandem_http_* series use, so a
 * browser-side and a server-side quantile of one route can share a panel.
 */
export function createRumRecorder(metrics: TandemMetrics) {
  const vitals = new Map<string, HistogramChild>();
  const cls = new Map<string, HistogramChild>();
  const calls = new Map<string, HistogramChild>();
  const routes = new Map<string, RouteChildren>();
  const samples = {
    'web-vital': metrics.rumSamples.labels({ type: 'web-vital' }),
    'api-call': metrics.rumSamples.labels({ type: 'api-call' }),
  } satisfies Record<RumSample['type'], CounterChild>;

  const routeChildren = (route: string): RouteChildren =>
    cached(routes, route, () => {
      const version = versionOf(route);
      const phase = (name: string) => metrics.rumApiCallPhase.labels({ route, version, phase: name });
      return {
        phases: {
          dns: phase('dns'),
          connect: phase('connect'),
          tls: phase('tls'),
          request: phase('request'),
          response: phase('response'),
        },
        app: metrics.rumServerTiming.labels({ route, version, metric: 'app' }),
        db: metrics.rumServerTiming.labels({ route, version, metric: 'db' }),
        retries: metrics.rumApiRetries.labels({ route, version }),
      };
    });
  // Every route's retry counter reads 0 from the start, so rate() has a series before the first retry.
  for (const route of RUM_API_ROUTES) routeChildren(route).retries.inc(0);

  const recordWebVital = (sample: WebVitalSample) => {
    const { name, page } = sample;
    if (name === 'CLS') {
      cached(cls, page, () => metrics.rumCls.labels({ page })).observe(sample.value);
    } else {
      cached(vitals, `${name} ${page}`, () => metrics.rumWebVital.labels({ name, page })).observe(sample.value / 1000);
    }
  };

  const recordApiCall = (sample: ApiCallSample) => {
    const statusClass = sample.status === 0 ? NO_ANSWER : statusClassOf(sample.status);
    const key = `${sample.route} ${sample.method} ${statusClass} ${sample.protocol}`;
    const call = cached(calls, key, () => {
      const labels: Record<RumApiCallLabel, string> = {
        route: sample.route,
        method: sample.method,
        status_class: statusClass,
        version: versionOf(sample.route),
        protocol: sample.protocol,
      };
      return metrics.rumApiCallDuration.labels(labels);
    });
    call.observe(sample.durationMs / 1000);

    const children = routeChildren(sample.route);
    if (sample.phases) for (const [phase, field] of PHASES) children.phases[phase].observe(sample.phases[field] / 1000);
    if (sample.server?.appMs !== undefined) children.app.observe(sample.server.appMs / 1000);
    if (sample.server?.dbMs !== undefined) children.db.observe(sample.server.dbMs / 1000);
    if (sample.attempt > 1) children.retries.inc();
  };

  return {
    record(sample: RumSample): void {
      samples[sample.type].inc();
      if (sample.type === 'web-vital') recordWebVital(sample);
      else recordApiCall(sample);
    },
  };
}

export type RumRecorder = ReturnType<typeof createRumRecorder>;
