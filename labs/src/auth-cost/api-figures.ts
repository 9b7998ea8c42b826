import { fetchMetricsText, parseMetricSamples } from '@tandem/local-stack';

/** What the lab reads from the API's `/metrics` at each end of a window. */
export interface ApiFigures {
  /** tandem_session_lookups_total by outcome, since the API started. */
  lookups: { cache: number; database: number };
  /** The event-loop delay since the previous scrape (prom-client's monitorEventLoopDelay), in ms. */
  eventLoopDelay: { p50Ms: number; p99Ms: number; maxMs: number };
}

/**
 * Scrapes the API once. prom-client empties its event-loop delay histogram after every
 * scrape, so the delay figures of a scrape cover the time since the one before it: scrape
 * at the window's start, then at its end, and the second one's delay is the window's.
 */
export async function readApiFigures(origin: string): Promise<ApiFigures> {
  const samples = parseMetricSamples(await fetchMetricsText(origin));
  const value = (name: string, labels: Record<string, string> = {}) =>
    samples
      .filter((sample) => sample.name === name && Object.entries(labels).every(([key, v]) => sample.labels[key] === v))
      .reduce((sum, sample) => sum + sample.value, 0);
  return {
    lookups: {
      cache: value('tandem_session_lookups_total', { outcome: 'cache' }),
      database: value('tandem_session_lookups_total', { outcome: 'database' }),
    },
    eventLoopDelay: {
      p50Ms: 1000 * value('nodejs_eventloop_lag_p50_seconds'),
      p99Ms: 1000 * value('nodejs_eventloop_lag_p99_seconds'),
      maxMs: 1000 * value('nodejs_eventloop_lag_max_seconds'),
    },
  };
}
