/** What every benchmark run receives from the command line. */
export interface BenchOptions {
  /** `--quick`: a few seconds per scenario, to check the benchmark works (the test suite's run); figures are not comparable. */
  quick: boolean;
  /** `--runs N`: how many measured runs, for a benchmark that counts its runs (its default otherwise). */
  runs?: number | undefined;
}

export type BenchLog = (line: string) => void;
