import { LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS_DATASOURCE } from '../datasource.js';
import { prometheusQuery } from './prometheus-query.js';

export interface PanelSpec {
  title: string;
  description?: string;
  unit: string;
  /** PromQL and its legend; `$__rate_interval` is the only Grafana variable used. */
  queries: { expr: string; legend?: string }[];
  /** Grid width out of 24. */
  width?: number;
}

/** A time-series panel on the pinned Prometheus datasource. */
export function timeseriesPanel(spec: PanelSpec): PanelBuilder {
  const panel = new PanelBuilder()
    .title(spec.title)
    .datasource(PROMETHEUS_DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? 12)
    .height(8)
    .fillOpacity(10)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    );
  if (spec.description) panel.description(spec.description);
  for (const query of spec.queries) panel.withTarget(prometheusQuery(query.expr, query.legend));
  return panel;
}
