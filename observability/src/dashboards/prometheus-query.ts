import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS_DATASOURCE } from '../datasource.js';

/** One PromQL target on the pinned Prometheus datasource. */
export function prometheusQuery(expr: string, legendFormat = '__auto'): DataqueryBuilder {
  return new DataqueryBuilder().datasource(PROMETHEUS_DATASOURCE).expr(expr).legendFormat(legendFormat);
}
