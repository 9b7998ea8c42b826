import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { frame, profileThisProcess, sampleCpuProfile } from './cpu-profile-fixtures.js';
import { cpuProfileToPprof, encodePprof } from './cpu-profile-to-pprof.js';
import type { CpuProfile } from './flame-graph.js';

/** `encode` at V8 line 41 (pprof's 42), and samples of unequal length, so lines and nanoseconds are checked. */
const PROFILE = sampleCpuProfile(
  frame('encode', 'file:///repo/node_modules/zod/parse.js', 41),
  [900, 1000, 1100, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
);

function decode(profile: CpuProfile) {
  return Profile.decode(gunzipSync(encodePprof(cpuProfileToPprof(profile))));
}

/** Each sample's stack as function names, leaf first, and its values. */
function stacks(pprof: Profile) {
  const strings = pprof.stringTable.strings;
  const fn = new Map(pprof.function.map((f) => [Number(f.id), strings[Number(f.name)]]));
  const loc = new Map(pprof.location.map((l) => [Number(l.id), l]));
  return pprof.sample.map((sample) => ({
    stack: sample.locationId.map((id) => fn.get(Number(loc.get(Number(id))?.line[0]?.functionId))),
    count: Number(sample.value[0]),
    nanos: Number(sample.value[1]),
  }));
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('cpuProfileToPprof', () => {
  it('round-trips through pprof-format with the same totals and stacks', () => {
    const pprof = decode(PROFILE);
    const strings = pprof.stringTable.strings;
    expect(pprof.sampleType.map((t) => [strings[Number(t.type)], strings[Number(t.unit)]])).toEqual([
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ]);
    const all = stacks(pprof);
    expect(sum(all.map((s) => s.count))).toBe(PROFILE.samples?.length);
    expect(sum(all.map((s) => s.nanos))).toBe(sum(PROFILE.timeDeltas ?? []) * 1000);
    const encode = all.find((s) => s.stack[0] === 'encode');
    expect(encode).toEqual({ stack: ['encode', 'main'], count: 3, nanos: 3_000_000 });
    expect(all.find((s) => s.stack[0] === '(idle)')?.stack).toEqual(['(idle)']);
    // The two `main` nodes share one function (same name, file, line) but keep their own location.
    expect(pprof.function.filter((f) => strings[Number(f.name)] === 'main')).toHaveLength(1);
    const encodeFn = pprof.function.find((f) => strings[Number(f.name)] === 'encode');
    expect(strings[Number(encodeFn?.filename)]).toBe('/repo/node_modules/zod/parse.js');
    expect(Number(encodeFn?.startLine)).toBe(42);
    expect(Number(pprof.durationNanos)).toBe(10_000_000);
  });

  it('converts a real profile of this process with every sample kept', async () => {
    const { profile, sink } = await profileThisProcess(150);
    expect(sink).toBeGreaterThan(0);
    const all = stacks(decode(profile));
    expect(sum(all.map((s) => s.count))).toBe(profile.samples?.length);
    expect(sum(all.map((s) => s.count))).toBeGreaterThan(0);
    expect(sum(all.map((s) => s.nanos))).toBe(sum(profile.timeDeltas ?? []) * 1000);
  });
});
