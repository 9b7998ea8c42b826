import type { Options } from 'k6/options';

/** Shared load shapes; a scenario picks one by name (`-e PROFILE=load`). */
export const profiles = {
  smoke: { vus: 1, iterations: 10 },
  load: {
    stages: [
      { duration: '30s', target: 20 },
      { duration: '2m', target: 20 },
      { duration: '30s', target: 0 },
    ],
  },
  stress: {
    stages: [
      { duration: '1m', target: 50 },
      { duration: '2m', target: 100 },
      { duration: '1m', target: 0 },
    ],
  },
  spike: {
    stages: [
      { duration: '10s', target: 5 },
      { duration: '10s', target: 200 },
      { duration: '30s', target: 200 },
      { duration: '10s', target: 5 },
    ],
  },
  soak: {
    stages: [
      { duration: '2m', target: 20 },
      { duration: '30m', target: 20 },
      { duration: '2m', target: 0 },
    ],
  },
} satisfies Record<string, Options>;

export type ProfileName = keyof typeof profiles;

export function profile(name: string): Options {
  if (!(name in profiles)) throw new Error(`Unknown PROFILE "${name}"; use one of ${Object.keys(profiles).join(', ')}`);
  return profiles[name as ProfileName];
}
