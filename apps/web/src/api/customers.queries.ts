import { coreEndpoints } from '@tandem/contract';
import { queryOptions } from '@tanstack/vue-query';
import { call } from './client';
import { whenApiVersionActive } from './versions/active-api-version';

export const customerKeys = {
  all: ['customers'] as const,
  report: () => [...customerKeys.all, 'report'] as const,
};

/** Every customer with their orders and revenue, sorted by name by the API (GET /api/v1/reports/customers). */
export function customersReportQuery() {
  return queryOptions({
    queryKey: customerKeys.report(),
    // Not versioned, but no call goes out before the tab's version check (active-api-version.ts).
    queryFn: async ({ signal }) => {
      await whenApiVersionActive();
      return call(coreEndpoints.getCustomersReport, { query: {}, signal });
    },
  });
}
