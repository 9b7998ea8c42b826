import { describe, expect, it } from 'vitest';
import { modeTable } from './mode-table.js';

describe('modeTable', () => {
  it('puts a setting column first and one row per setting, naive then tuned', () => {
    expect(modeTable(['req/s'], (mode) => [mode === 'naive' ? 1 : 2])).toEqual({
      columns: ['setting', 'req/s'],
      rows: [
        ['naive', 1],
        ['tuned', 2],
      ],
    });
    expect(
      modeTable(
        [],
        () => [],
        (mode) => `${mode} (policy)`,
      ).rows,
    ).toEqual([['naive (policy)'], ['tuned (policy)']]);
  });
});
