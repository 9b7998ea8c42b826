/**
 * Series the dashboards and rules are written for that the API does not export yet (empty
 * now: the HTTP, DB and rate-limit series have landed in apps/api). The live test evaluates every panel
 * query whose series all exist; a query that reads one of these is parsed only, and the
 * test lists it. When the API starts exporting a name here, the test fails until the name
 * is removed, so the list cannot outlive the work it waits for.
 */
export const PENDING_API_METRICS: readonly string[] = [];
