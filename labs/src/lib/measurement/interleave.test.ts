import type { LabMode } from '@tandem/contract/labs';
import { describe, expect, it } from 'vitest';
import { interleave, perMode, roundOrder, valuesOf } from './interleave.js';

describe('interleave', () => {
  it('alternates which setting goes first (naive, tuned, tuned, naive, …), flips before each, and ends at tuned', async () => {
    const events: string[] = [];
    const lines: string[] = [];
    const rows = await interleave(
      {
        rounds: 3,
        flip: async (mode) => {
          events.push(`flip ${mode}`);
        },
        progress: (line) => lines.push(line),
      },
      async (mode, round, progress) => {
        events.push(`measure ${mode} ${round}`);
        progress('one step');
        return `${mode}${round}`;
      },
    );
    expect(events).toEqual([
      'flip naive',
      'measure naive 1',
      'flip tuned',
      'measure tuned 1',
      'flip tuned',
      'measure tuned 2',
      'flip naive',
      'measure naive 2',
      'flip naive',
      'measure naive 3',
      'flip tuned',
      'measure tuned 3',
      'flip tuned',
    ]);
    expect(rows.map((row) => row.value)).toEqual(['naive1', 'tuned1', 'tuned2', 'naive2', 'naive3', 'tuned3']);
    expect(lines[0]).toBe('round 1/3, naive: one step');
    expect(valuesOf(rows, 'naive')).toEqual(['naive1', 'naive2', 'naive3']);
  });

  it('names only the setting when there is one round, naive first', async () => {
    const lines: string[] = [];
    const rows = await interleave(
      { rounds: 1, flip: async () => {}, progress: (line) => lines.push(line) },
      async (mode, _round, progress) => {
        progress('go');
        return mode;
      },
    );
    expect(lines).toEqual(['naive: go', 'tuned: go']);
    expect(perMode(rows)).toEqual({ naive: 'naive', tuned: 'tuned' });
    expect(roundOrder(1)).toEqual(['naive', 'tuned']);
    expect(roundOrder(2)).toEqual(['tuned', 'naive']);
  });

  it('perMode refuses a lab that measured a setting more than once', () => {
    const rows = (['naive', 'tuned', 'tuned', 'naive'] as LabMode[]).map((mode, index) => ({
      mode,
      round: 1 + (index >> 1),
      value: index,
    }));
    expect(() => perMode(rows)).toThrow('2 naive measurements where one was expected');
  });
});
