/** The service-level thresholds every scenario shares; a scenario adds its own routes. */
export const commonThresholds = {
  http_req_failed: ['rate<0.01'],
  checks: ['rate>0.99'],
};

export function routeLatency(route: string, p95Ms: number, p99Ms: number) {
  return { [`http_req_duration{route:${route}}`]: [`p(95)<${p95Ms}`, `p(99)<${p99Ms}`] };
}

/** Error rate of one route, for scripts whose other requests fail on purpose (a stream cut by its timeout). */
export function routeErrors(route: string, maxRate = 0.01) {
  return { [`http_req_failed{route:${route}}`]: [`rate<${maxRate}`] };
}
