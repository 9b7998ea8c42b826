import { LAB_IDS, type LabId, type LabMode } from '@tandem/contract/labs';
import { Gauge, type Registry } from 'prom-client';
import type { LabSwitches } from './lab-switches.js';

/**
 * `tandem_lab_mode{lab, mode}`: 1 for the active mode of each lab, 0 for the other, on the
 * API's registry (observability/METRICS.md; the Grafana dashboards' lab row reads it).
 */
export function registerLabModeMetric(registry: Registry, switches: LabSwitches): void {
  const gauge = new Gauge({
    name: 'tandem_lab_mode',
    help: 'Active setting of each lab: 1 for the active mode, 0 for the other.',
    labelNames: ['lab', 'mode'] as const,
    registers: [registry],
  });
  const record = (mode: LabMode, lab: LabId) => {
    gauge.set({ lab, mode: 'naive' }, mode === 'naive' ? 1 : 0);
    gauge.set({ lab, mode: 'tuned' }, mode === 'tuned' ? 1 : 0);
  };
  for (const lab of LAB_IDS) {
    record(switches.mode(lab), lab);
    switches.onChange(lab, record);
  }
}
