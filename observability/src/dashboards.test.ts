import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardFiles, dashboardsDir } from './dashboard-files.js';
import { allDashboards } from './dashboards/all-dashboards.js';
import { PROMETHEUS_DATASOURCE } from './datasource.js';
import { panelQueries } from './panel-queries.js';
import { parsePromql, withGrafanaVariables } from './promql-expression.js';

const queries = Object.entries(allDashboards).flatMap(([name, dashboard]) => panelQueries(name, dashboard));

describe('dashboards as code', () => {
  it.each(dashboardFiles())('grafana/dashboards/$file is what src/dashboards generates', ({ file, text }) => {
    const committed = readFileSync(join(dashboardsDir, file), 'utf8');
    expect(committed, `stale: run pnpm --filter @tandem/observability dashboards`).toBe(text);
  });

  it.each(Object.entries(allDashboards))(
    '%s: every panel and target uses the pinned datasource',
    (_name, dashboard) => {
      const text = JSON.stringify(dashboard);
      const uids = [...text.matchAll(/"datasource":\{[^}]*"uid":"([^"]*)"/g)].map((match) => match[1]);
      const panels = (dashboard.panels ?? []).filter((panel) => panel.type !== 'row');
      const targets = panels.flatMap((panel) => ('targets' in panel ? (panel.targets ?? []) : []));
      expect(uids.length).toBe(panels.length + targets.length);
      expect(new Set(uids)).toEqual(new Set([PROMETHEUS_DATASOURCE.uid]));
    },
  );

  it.each(Object.entries(allDashboards))('%s: panel ids are unique', (_name, dashboard) => {
    const ids = (dashboard.panels ?? []).map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(queries)('$dashboard / $panel / $refId parses as PromQL', ({ expr }) => {
    const parsed = parsePromql(withGrafanaVariables(expr, '1m'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.metricNames.length).toBeGreaterThan(0);
  });

  it('the PromQL parser reports errors', () => {
    expect(parsePromql('sum(rate(foo[1m])').errors).not.toEqual([]);
  });
});
