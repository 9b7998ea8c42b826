import type { LabMode } from '@tandem/contract/labs';
import type { ResultTable } from '../table.js';

/**
 * A before/after table: a `setting` column, then `columns`; one row per setting, naive
 * then tuned. `setting` names a row (the setting by default).
 */
export function modeTable(
  columns: readonly string[],
  cells: (mode: LabMode) => (string | number)[],
  setting: (mode: LabMode) => string = (mode) => mode,
): ResultTable {
  return {
    columns: ['setting', ...columns],
    rows: (['naive', 'tuned'] as const).map((mode) => [setting(mode), ...cells(mode)]),
  };
}
