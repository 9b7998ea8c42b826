import { fetchMetricsText, parseMetricSamples } from '@tandem/local-stack';

/** The two ways the batch endpoint reads orders (orders-repository.ts query names). */
export const BATCH_QUERIES = { perId: 'orders.get', oneQuery: 'orders.find_many' } as const;

const SERIES = 'tandem_db_query_duration_seconds_count';

/**
 * Database queries finished so far, by query name, from the API's `/metrics`
 * (`tandem_db_query_duration_seconds_count{query,db}`, summed over `db`).
 */
export async function readQueryCounts(origin: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name, labels, value } of parseMetricSamples(await fetchMetricsText(origin))) {
    const query = labels.query;
    if (name === SERIES && query !== undefined && Number.isFinite(value)) counts[query] = (counts[query] ?? 0) + value;
  }
  return counts;
}

/** `after - before` for one query name. */
export const queriesBetween = (before: Record<string, number>, after: Record<string, number>, query: string) =>
  (after[query] ?? 0) - (before[query] ?? 0);
