/** The nearest-rank percentile of `values` (NaN for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** The median, the figure an interleaved series of runs reports. */
export const median = (values: readonly number[]) => percentile(values, 50);
