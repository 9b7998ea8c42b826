import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { diffHeapSnapshots, summarizeHeapSnapshot } from './heap-snapshot-diff.js';

const dir = mkdtempSync(join(tmpdir(), 'tandem-heap-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A class only this test makes, so its count in the snapshots is exactly what the test allocated. */
class ProfilingTestLeak {
  constructor(readonly payload: number[]) {}
}
const kept: ProfilingTestLeak[] = [];

describe('heap snapshot diff', () => {
  it('finds the class that grew between two real snapshots of this process', { timeout: 60_000 }, () => {
    kept.push(new ProfilingTestLeak([0]));
    const before = summarizeHeapSnapshot(writeHeapSnapshot(join(dir, 'before.heapsnapshot')));
    for (let index = 0; index < 5000; index++) kept.push(new ProfilingTestLeak([index, index]));
    const after = summarizeHeapSnapshot(writeHeapSnapshot(join(dir, 'after.heapsnapshot')));

    expect(before.classes.get('ProfilingTestLeak')?.count).toBe(1);
    expect(after.classes.get('ProfilingTestLeak')?.count).toBe(5001);
    expect(after.nodeCount).toBeGreaterThan(before.nodeCount);

    const deltas = diffHeapSnapshots(before, after);
    const leak = deltas.find((delta) => delta.className === 'ProfilingTestLeak');
    expect(leak).toMatchObject({ countBefore: 1, countAfter: 5001, countDelta: 5000 });
    expect(leak?.selfSizeDelta).toBeGreaterThan(0);
    // Sorted by bytes gained, and only what grew.
    for (const [index, delta] of deltas.entries()) {
      expect(delta.countDelta > 0 || delta.selfSizeDelta > 0).toBe(true);
      if (index > 0) expect(delta.selfSizeDelta).toBeLessThanOrEqual(deltas[index - 1]?.selfSizeDelta ?? 0);
    }
    expect(kept).toHaveLength(5001);
  });

  it('refuses a file that is not a heap snapshot', () => {
    expect(() => summarizeHeapSnapshot({ nodes: [] } as never)).toThrow(/Not a V8 heap snapshot/);
  });
});
