import { relative } from 'node:path';
import type { HeapClassDelta, HeapSnapshotSummary } from './heap-snapshot-diff.js';
import type { ProfileSummary } from './profile-scenario.js';

const percent = (share: number) => `${(100 * share).toFixed(1).padStart(5)} %`;
const shown = (path: string, cwd: string) => {
  const near = relative(cwd, path);
  return near.startsWith('..') ? path : near;
};
const IDS_SHOWN = 5;

/** What `pnpm profile <scenario>` prints after the run: hot functions, long tasks, ids, where to open each file. */
export function formatProfileReport(summary: ProfileSummary, cwd = process.cwd()): string {
  const lines: string[] = [];
  const { total, busy } = summary.cpuSamples;
  lines.push(
    '',
    `API: top ${summary.topServerFunctions.length} functions by self time (${busy} busy of ${total} samples)`,
  );
  for (const entry of summary.topServerFunctions) {
    const where = entry.file ? `${entry.file}:${entry.line}` : '(V8 / native)';
    lines.push(`  ${percent(entry.share)}  ${entry.functionName.slice(0, 40).padEnd(40)}  ${where}`);
  }

  if (summary.files.trace) {
    lines.push('', `Browser: long tasks (> 50 ms) on the renderer main thread: ${summary.longTasks.length}`);
    for (const task of summary.longTasks) {
      lines.push(`  ${task.durationMs.toFixed(0).padStart(5)} ms at ${(task.startMs / 1000).toFixed(2)} s`);
      for (const fn of task.topFunctions) {
        const where = fn.url ? ` ${fn.url.replace(/^https?:\/\/[^/]+/, '')}:${fn.line}` : '';
        lines.push(`           ${fn.ms.toFixed(1).padStart(6)} ms  ${fn.functionName}${where}`);
      }
      if (task.functionsFrom === 'none') lines.push('           (no JS function recorded inside this task)');
    }
  }

  const { browser, server, both } = summary.requestIds;
  lines.push('', 'Request ids in the window');
  if (summary.files.trace) lines.push(`  browser: ${browser.length} calls`);
  lines.push(`  server:  ${server.length} requests logged`);
  if (summary.files.trace) {
    lines.push(`  both:    ${both.length}${both.length ? `, e.g. ${both.slice(0, IDS_SHOWN).join(' ')}` : ''}`);
    if (both[0]) lines.push(`  one call's browser and server records side by side: pnpm trace ${both[0]}`);
  } else if (server.length) {
    lines.push(`  e.g. ${server.slice(0, IDS_SHOWN).join(' ')}`);
  }

  const f = summary.files;
  lines.push(
    '',
    'Open',
    `  ${shown(f.flameGraph, cwd)}   flame graph: any browser`,
    `  ${shown(f.pprof, cwd)}   go tool pprof -http=:8080 ${shown(f.pprof, cwd)}  (or drop it on https://www.speedscope.app)`,
    `  ${shown(f.cpuProfile, cwd)}   https://www.speedscope.app, or Chrome DevTools → Performance → Load profile`,
  );
  if (f.trace) {
    lines.push(
      `  ${shown(f.trace, cwd)}   https://ui.perfetto.dev (Open trace file), chrome://tracing, or DevTools → Performance → Load profile`,
    );
  }
  lines.push(
    `  ${shown(f.summary, cwd)}   the files, the top functions, the long tasks and the request ids as JSON`,
    '',
  );
  return lines.join('\n');
}

/** What `pnpm profile heap-diff <a> <b>` prints: the classes that grew most, bytes first. */
export function formatHeapDiff(
  before: HeapSnapshotSummary,
  after: HeapSnapshotSummary,
  deltas: HeapClassDelta[],
  top = 20,
): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  const signed = (value: string, raw: number) => (raw > 0 ? `+${value}` : value);
  const lines = [
    `before: ${before.nodeCount} objects, ${kb(before.totalSelfSize)}; after: ${after.nodeCount} objects, ${kb(after.totalSelfSize)} (${signed(kb(after.totalSelfSize - before.totalSelfSize), after.totalSelfSize - before.totalSelfSize)})`,
    '',
    `${'constructor'.padEnd(40)} ${'# new'.padStart(10)} ${'count after'.padStart(12)} ${'size delta'.padStart(12)} ${'size after'.padStart(12)}`,
  ];
  for (const delta of deltas.slice(0, top)) {
    lines.push(
      `${delta.className.slice(0, 40).padEnd(40)} ${signed(String(delta.countDelta), delta.countDelta).padStart(10)} ${String(delta.countAfter).padStart(12)} ${signed(kb(delta.selfSizeDelta), delta.selfSizeDelta).padStart(12)} ${kb(delta.selfSizeAfter).padStart(12)}`,
    );
  }
  if (deltas.length === 0) lines.push('(no class grew)');
  return lines.join('\n');
}
