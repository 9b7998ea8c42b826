// Test fixtures for the flame-graph and pprof tests: a small hand-made CPU profile, and a
// real one recorded from the test process itself.
import { Session } from 'node:inspector/promises';
import type { CpuProfile } from './flame-graph.js';

type CallFrame = CpuProfile['nodes'][number]['callFrame'];

/** A call frame; `lineNumber` is 0-based, as V8 writes it. */
export const frame = (functionName: string, url = '', lineNumber = 9): CallFrame => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

/**
 * root → main → (`encode` ×3, stringify ×1), root → (idle) ×4, and a second `main` node with
 * 2 self samples: 10 samples, 6 of them busy. Nodes 1–6 in that order; `encode` is node 3.
 */
export function sampleCpuProfile(encode: CallFrame, timeDeltas: number[] = Array(10).fill(1000)): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
      { id: 2, callFrame: frame('main', 'file:///repo/apps/api/src/app.ts'), children: [3, 4] },
      { id: 3, callFrame: encode },
      { id: 4, callFrame: frame('stringify') },
      { id: 5, callFrame: frame('(idle)') },
      { id: 6, callFrame: frame('main', 'file:///repo/apps/api/src/app.ts') },
    ],
    startTime: 0,
    endTime: 10_000,
    samples: [3, 3, 3, 4, 5, 5, 5, 5, 6, 6],
    timeDeltas,
  };
}

/**
 * Profiles this process through the inspector while it stringifies JSON for `busyMs`.
 * `sink` is what the busy loop produced (more than 0 when it ran).
 */
export async function profileThisProcess(busyMs: number): Promise<{ profile: CpuProfile; sink: number }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    let sink = 0;
    const deadline = Date.now() + busyMs;
    while (Date.now() < deadline) sink += JSON.stringify({ n: Math.random() }).length;
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    return { profile, sink };
  } finally {
    session.disconnect();
  }
}
