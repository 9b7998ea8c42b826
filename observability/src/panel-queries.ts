import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  /** The PromQL as committed, Grafana variables included. */
  expr: string;
}

/** Every PromQL target of every panel (rows' nested panels included), with where it sits. */
export function panelQueries(name: string, dashboard: Dashboard): PanelQuery[] {
  const panels: Panel[] = [];
  for (const panel of dashboard.panels ?? []) {
    if (isRow(panel)) panels.push(...(panel.panels ?? []));
    else panels.push(panel);
  }
  return panels.flatMap((panel) =>
    (panel.targets ?? []).map((target, index) => {
      const query = target as { refId?: string; expr?: unknown };
      return {
        dashboard: name,
        panel: panel.title ?? `panel ${panel.id}`,
        refId: query.refId ?? String.fromCharCode(65 + index),
        expr: String(query.expr ?? ''),
      };
    }),
  );
}

function isRow(panel: Panel | RowPanel): panel is RowPanel {
  return panel.type === 'row';
}
