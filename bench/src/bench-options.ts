/** What every benchmark run receives from the command line. */
export interface BenchOptions {
  /** `--quick`: a few seconds per scenario, to check the benchmark works (the test suite's run); figures are not comparable. */
  quick: boolean;
}

export type BenchLog = (line: string) => void;
