import { coreEndpoints } from '@tandem/contract';
import { queryOptions } from '@tanstack/vue-query';
import { call } from './client';

export const customerKeys = {
  all: ['customers'] as const,
  report: () => [...customerKeys.all, 'report'] as const,
};

/** Every customer with their orders and revenue, sorted by name by the API (GET /api/v1/reports/customers). */
export function customersReportQuery() {
  return queryOptions({
    queryKey: customerKeys.report(),
    queryFn: ({ signal }) => call(coreEndpoints.getCustomersReport, { query: {}, signal }),
  });
}
