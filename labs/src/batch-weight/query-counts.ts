import { request } from 'node:https';

/** The two ways the batch endpoint reads orders (orders-repository.ts query names). */
export const BATCH_QUERIES = { perId: 'orders.get', oneQuery: 'orders.find_many' } as const;

const SERIES = 'tandem_db_query_duration_seconds_count';

/**
 * Database queries finished so far, by query name, from the API's `/metrics`
 * (`tandem_db_query_duration_seconds_count{query,db}`, summed over `db`).
 */
export async function readQueryCounts(origin: string): Promise<Record<string, number>> {
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(`${origin}/metrics`, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`/metrics → ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${SERIES}{`)) continue;
    const query = /[{,]query="([^"]*)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf('}') + 1).trim());
    if (query !== undefined && Number.isFinite(value)) counts[query] = (counts[query] ?? 0) + value;
  }
  return counts;
}

/** `after - before` for one query name. */
export const queriesBetween = (before: Record<string, number>, after: Record<string, number>, query: string) =>
  (after[query] ?? 0) - (before[query] ?? 0);
