import { gzipSync } from 'node:zlib';
import { Line, Location, Function as PprofFunction, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import type { CpuProfile } from './flame-graph.js';

type ProfileNode = CpuProfile['nodes'][number];

/**
 * A V8 CPU profile as a pprof profile (the format of `go tool pprof`, Pyroscope and
 * speedscope): two sample types, `samples/count` and `cpu/nanoseconds`, one pprof
 * sample per V8 node that was hit, its stack leaf first. The V8 `(root)` frame is left
 * out (pprof has no root); `(idle)`, `(program)` and `(garbage collector)` stay, so the
 * totals equal the CpuProfile's: the count is `samples.length`, the time the sum of
 * `timeDeltas` (µs, written as ns).
 */
export function cpuProfileToPprof(cpuProfile: CpuProfile): Profile {
  const strings = new StringTable();
  const byId = new Map(cpuProfile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of cpuProfile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const functions = new Map<string, PprofFunction>();
  const locations = new Map<number, Location>();
  const functionOf = (node: ProfileNode): PprofFunction => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const key = `${functionName}\u0000${url}\u0000${lineNumber}\u0000${columnNumber}`;
    let fn = functions.get(key);
    if (!fn) {
      const name = strings.dedup(functionName || '(anonymous)');
      fn = new PprofFunction({
        id: functions.size + 1,
        name,
        systemName: name,
        filename: strings.dedup(url.replace(/^file:\/\//, '')),
        startLine: lineNumber + 1,
      });
      functions.set(key, fn);
    }
    return fn;
  };
  const locationOf = (node: ProfileNode): Location => {
    let location = locations.get(node.id);
    if (!location) {
      const fn = functionOf(node);
      location = new Location({
        id: locations.size + 1,
        line: [new Line({ functionId: fn.id, line: node.callFrame.lineNumber + 1 })],
      });
      locations.set(node.id, location);
    }
    return location;
  };
  const isRoot = (node: ProfileNode) => !parentOf.has(node.id);
  const stackOf = (node: ProfileNode): number[] => {
    const stack: number[] = [];
    for (let current: ProfileNode | undefined = node; current && !isRoot(current); ) {
      stack.push(Number(locationOf(current).id));
      const parentId = parentOf.get(current.id);
      current = parentId === undefined ? undefined : byId.get(parentId);
    }
    return stack;
  };

  // Count and time per hit node, from `samples` + `timeDeltas` (or `hitCount` alone).
  const counts = new Map<number, { count: number; micros: number }>();
  const samples = cpuProfile.samples ?? [];
  if (samples.length > 0) {
    samples.forEach((id, index) => {
      const entry = counts.get(id) ?? { count: 0, micros: 0 };
      entry.count++;
      entry.micros += Math.max(cpuProfile.timeDeltas?.[index] ?? 0, 0);
      counts.set(id, entry);
    });
  } else {
    for (const node of cpuProfile.nodes) if (node.hitCount) counts.set(node.id, { count: node.hitCount, micros: 0 });
  }

  const pprofSamples: Sample[] = [];
  for (const [id, { count, micros }] of counts) {
    const node = byId.get(id);
    if (!node) continue;
    // A sample on the root itself (rare) is kept as a frame of its own so no count is lost.
    const stack = isRoot(node) ? [Number(locationOf(node).id)] : stackOf(node);
    pprofSamples.push(new Sample({ locationId: stack, value: [count, micros * 1000] }));
  }

  const durationMicros = Math.max(cpuProfile.endTime - cpuProfile.startTime, 0);
  const meanIntervalNanos = samples.length > 0 ? Math.round((durationMicros * 1000) / samples.length) : 0;
  return new Profile({
    sampleType: [
      new ValueType({ type: strings.dedup('samples'), unit: strings.dedup('count') }),
      new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }),
    ],
    sample: pprofSamples,
    location: [...locations.values()],
    function: [...functions.values()],
    stringTable: strings,
    // V8's clock is monotonic, not the wall clock: the recording's wall time is not in the profile.
    durationNanos: durationMicros * 1000,
    periodType: new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }),
    period: meanIntervalNanos,
  });
}

/** The pprof profile as `go tool pprof` reads it: protobuf, gzipped (`.pb.gz`). */
export function encodePprof(profile: Profile): Buffer {
  return gzipSync(profile.encode());
}
