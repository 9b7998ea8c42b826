import type { LabMode } from '@tandem/contract/labs';
import { describe, expect, it } from 'vitest';
import { perMode } from './interleave.js';
import type { LabDefinition, LabSettings } from './lab-definition.js';
import type { LabStack, startLabStack } from './lab-stack.js';
import { MODE_COLORS } from './mode-chart.js';
import { runLab } from './run-lab.js';

/** A stack that starts nothing: it records the switch's flips and its own stop. */
function fakeStack(events: string[]): typeof startLabStack {
  return async (id) =>
    ({
      api: { origin: 'https://localhost:1' },
      admin: {
        setMode: async (lab: string, mode: LabMode) => {
          events.push(`${lab} ${mode}`);
        },
      },
      pinned: false,
      loadCpu: {},
      stop: async () => {
        events.push(`stop ${id}`);
      },
    }) as unknown as LabStack;
}

/** What defineLab does with a definition's types, without making it runnable. */
const declare = <S extends LabSettings, C, R, X, M>(definition: LabDefinition<S, C, R, X, M>) => definition;

/** A lab whose "measurement" is arithmetic; `events` hears its cleanup. */
function arithmeticLab(events: string[]) {
  return declare({
    id: 'heartbeat',
    settings: (smoke) => ({ rounds: smoke ? 1 : 2, size: smoke ? 1 : 10 }),
    servers: {},
    prepare: async ({ onEnd }) => {
      onEnd(() => events.push('cleanup'));
      return { base: 100 };
    },
    measure: async ({ ctx, settings, mode }) => ctx.base + settings.size + (mode === 'naive' ? 1 : 0),
    summarise: (rows) => perMode(rows),
    method: (summary) => `naive ${summary.naive}, tuned ${summary.tuned}`,
    table: (summary) => ({ columns: ['naive', 'tuned'], rows: [[summary.naive, summary.tuned]] }),
    verdicts: (summary) => [{ target: 'naive costs more', met: summary.naive > summary.tuned, detail: '' }],
    chart: (summary) => ({ title: 't', xLabel: 'x', yLabel: 'y', points: (mode) => [{ x: 0, y: summary[mode] }] }),
  });
}

describe('runLab', () => {
  it('measures each setting with the lab switched to it, leaves it at tuned, cleans up, stops the servers and builds the report', async () => {
    const events: string[] = [];
    const report = await runLab(arithmeticLab(events), { smoke: true, progress: () => {} }, fakeStack(events));
    expect(events).toEqual(['heartbeat naive', 'heartbeat tuned', 'heartbeat tuned', 'cleanup', 'stop heartbeat']);
    expect(report.labId).toBe('heartbeat');
    expect(report.raw).toEqual({ naive: 102, tuned: 101 });
    expect(report.method).toBe('naive 102, tuned 101 (smoke mode).');
    expect(report.verdicts[0]?.met).toBe(true);
    expect(report.chart).toContain(MODE_COLORS.naive);
    expect(report.chart).toContain(MODE_COLORS.tuned);
    expect(report).not.toHaveProperty('files');
  });

  it('runs the cleanups and stops the servers when a measurement fails, and reports that failure', async () => {
    const events: string[] = [];
    const failing = { ...arithmeticLab(events), measure: () => Promise.reject(new Error('probe broke')) };
    await expect(runLab(failing, { smoke: false, progress: () => {} }, fakeStack(events))).rejects.toThrow(
      'probe broke',
    );
    expect(events).toEqual(['heartbeat naive', 'cleanup', 'stop heartbeat']);
  });
});
