import { fileURLToPath } from 'node:url';
import { allDashboards } from './dashboards/all-dashboards.js';

/** Where the generated dashboards are committed (and where Grafana's provisioning reads them). */
export const dashboardsDir = fileURLToPath(new URL('../grafana/dashboards/', import.meta.url));

/** Each dashboard's file name and its exact JSON text. */
export function dashboardFiles(): { file: string; text: string }[] {
  return Object.entries(allDashboards).map(([name, dashboard]) => ({
    file: `${name}.json`,
    text: `${JSON.stringify(dashboard, null, 2)}\n`,
  }));
}
