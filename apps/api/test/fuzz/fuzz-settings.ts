/**
 * The fuzz suite's settings, read once: cases per property (FUZZ_RUNS, 1000 in `npm test`;
 * `pnpm fuzz --runs 10000` for a deeper run), fast-check's seed (FUZZ_SEED; a fresh one
 * otherwise, printed so a failure reruns with `pnpm fuzz --seed <seed>`) and how requests
 * reach the app (FUZZ_TRANSPORT: `inject`, the default, or `socket`).
 */
export interface FuzzSettings {
  runs: number;
  seed: number;
  transport: 'inject' | 'socket';
}

export function readFuzzSettings(env: NodeJS.ProcessEnv = process.env): Readonly<FuzzSettings> {
  const runs = Number(env.FUZZ_RUNS ?? 1000);
  const seed = env.FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(env.FUZZ_SEED);
  const transport = env.FUZZ_TRANSPORT ?? 'inject';
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`FUZZ_RUNS must be a whole number ≥ 1, not ${env.FUZZ_RUNS}`);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be a whole number, not ${env.FUZZ_SEED}`);
  if (transport !== 'inject' && transport !== 'socket') {
    throw new Error(`FUZZ_TRANSPORT must be inject or socket, not ${transport}`);
  }
  return Object.freeze({ runs, seed, transport });
}
