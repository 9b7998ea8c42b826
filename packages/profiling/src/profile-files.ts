import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpuProfileToPprof, encodePprof } from './cpu-profile-to-pprof.js';
import { renderFlameGraph } from './flame-graph.js';
import type { JointRecording } from './joint-recording.js';

/** Absolute paths of what one recording wrote. */
export interface ProfileFiles {
  /** The API's V8 profile: Chrome DevTools (Performance → Load profile), speedscope, VS Code. */
  cpuProfile: string;
  /** The same profile as pprof: `go tool pprof -http=:8080 <file>`, speedscope. */
  pprof: string;
  /** The flame graph this package draws: any browser. */
  flameGraph: string;
  /** The browser's trace: ui.perfetto.dev, chrome://tracing, DevTools Performance → Load profile. */
  trace?: string;
}

/**
 * Writes a recording into `outDir`: `api.cpuprofile`, `api.pb.gz`, `api-flame.svg` and,
 * with a browser, `browser-trace.json`.
 */
export function writeProfileFiles(
  outDir: string,
  recording: JointRecording,
  flameGraph: { title: string; subtitle?: string },
): ProfileFiles {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const files: ProfileFiles = {
    cpuProfile: join(dir, 'api.cpuprofile'),
    pprof: join(dir, 'api.pb.gz'),
    flameGraph: join(dir, 'api-flame.svg'),
  };
  writeFileSync(files.cpuProfile, JSON.stringify(recording.cpuProfile));
  writeFileSync(files.pprof, encodePprof(cpuProfileToPprof(recording.cpuProfile)));
  writeFileSync(files.flameGraph, renderFlameGraph(recording.cpuProfile, flameGraph));
  if (recording.traceJson) {
    files.trace = join(dir, 'browser-trace.json');
    writeFileSync(files.trace, recording.traceJson);
  }
  return files;
}
