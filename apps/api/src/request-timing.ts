import { AsyncLocalStorage } from 'node:async_hooks';

/** What one request spent, summed as it runs, for its `Server-Timing` header. */
export interface RequestTiming {
  startedAt: number;
  dbMs: number;
}

/**
 * Carries the current request's timing down to the database layer without threading it
 * through every repository call. Entered just before the handler runs (see
 * plugins/app/server-timing.ts), so queries a handler awaits are attributed to it.
 */
export const requestTimings = new AsyncLocalStorage<RequestTiming>();

/** Adds a finished query's duration to the current request, if there is one. */
export function recordDbTime(ms: number): void {
  const timing = requestTimings.getStore();
  if (timing) timing.dbMs += ms;
}
