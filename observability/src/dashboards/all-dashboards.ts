import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { frontendDashboard } from './frontend.js';
import { labsDashboard } from './labs.js'; // #labs
import { loadTestDashboard } from './load-test.js';
import { numberPanels } from './number-panels.js';
import { overviewDashboard } from './overview.js';
import { realtimeDashboard } from './realtime.js';

/** Every dashboard by the file name it is written to (grafana/dashboards/<name>.json). */
export const allDashboards: Record<string, Dashboard> = {
  overview: numberPanels(overviewDashboard),
  frontend: numberPanels(frontendDashboard),
  realtime: numberPanels(realtimeDashboard),
  labs: numberPanels(labsDashboard), // #labs
  'load-test': numberPanels(loadTestDashboard),
};
