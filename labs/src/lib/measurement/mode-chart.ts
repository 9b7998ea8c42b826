import type { LabMode } from '@tandem/contract/labs';
import { type LineChart, renderLineChart } from '../svg-chart.js';

/** Every lab chart draws naive in red and tuned in green. */
export const MODE_COLORS: Record<LabMode, string> = { naive: '#dc2626', tuned: '#059669' };

/** A lab's chart: one line per setting, naive then tuned. */
export interface ModeChart extends Omit<LineChart, 'series'> {
  points(mode: LabMode): { x: number; y: number }[];
  /** The legend's name of a setting's line; the setting by default. */
  name?(mode: LabMode): string;
}

export function renderModeChart({ points, name, ...chart }: ModeChart): string {
  return renderLineChart({
    ...chart,
    series: (['naive', 'tuned'] as const).map((mode) => ({
      name: name ? name(mode) : mode,
      color: MODE_COLORS[mode],
      points: points(mode),
    })),
  });
}
