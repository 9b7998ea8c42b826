import type { CpuProfile } from './flame-graph.js';

/** One function of a CPU profile, with the samples spent in its own code (not its callees). */
export interface SelfTimeEntry {
  functionName: string;
  /** `apps/api/src/app.ts`, `node:internal/…`, `node_modules/zod/v4/core/parse.js`, or '' for V8's own frames. */
  file: string;
  /** 1-based line where the function starts. */
  line: number;
  selfSamples: number;
  /** `selfSamples` ÷ the busy samples (idle left out), 0–1. */
  share: number;
}

/**
 * The `limit` functions with the most self samples, idle left out: what `go tool pprof
 * -top` lists first. One entry per function (every node of it summed).
 */
export function topSelfTime(profile: CpuProfile, limit = 10): SelfTimeEntry[] {
  const hits = new Map<number, number>();
  if (profile.samples?.length) for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);

  const byFunction = new Map<string, Omit<SelfTimeEntry, 'share'>>();
  let busy = 0;
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    if (count === 0 || functionName === '(idle)') continue;
    busy += count;
    const key = `${functionName}\u0000${url}\u0000${lineNumber}\u0000${columnNumber}`;
    const entry = byFunction.get(key) ?? {
      functionName: functionName || '(anonymous)',
      file: shortFile(url),
      line: lineNumber + 1,
      selfSamples: 0,
    };
    entry.selfSamples += count;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()]
    .sort((a, b) => b.selfSamples - a.selfSamples)
    .slice(0, limit)
    .map((entry) => ({ ...entry, share: busy === 0 ? 0 : entry.selfSamples / busy }));
}

/** The file from the repository's root or from node_modules on, so a line stays readable. */
function shortFile(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inPackage = path.lastIndexOf('/node_modules/');
  if (inPackage >= 0) return path.slice(inPackage + 1).replace(/^node_modules\/\.pnpm\/[^/]+\//, '');
  const inRepo = /\/(apps|packages|labs|bench)\/.*$/.exec(path);
  return inRepo ? inRepo[0].slice(1) : path;
}
