/** What every benchmark run receives from the command line. */
export interface BenchOptions {
  /** `--quick`: a few seconds per scenario, to check the benchmark works (the test suite's run); figures are not comparable. */
  quick: boolean;
  /** `--runs N`: how many measured runs, for a benchmark that counts its runs (its default otherwise). */
  runs?: number | undefined;
  /**
   * `--rounds N`, `--seconds S`: the HTTP benchmarks' interleaved rounds and the length of
   * each run, to iterate faster (or measure longer) than their defaults; such a run's
   * figures never go to the docs.
   */
  rounds?: number;
  seconds?: number;
  /**
   * `--semi-space-mb N`: the young generation (V8 semi-space, MB) the HTTP comparison gives
   * every server it starts (young-generation.ts); 0 leaves V8's own sizing. Its default
   * otherwise; a run with it never goes to the docs.
   */
  semiSpaceMb?: number;
}

export type BenchLog = (line: string) => void;
