import { describe, expect, it } from 'vitest';
import type { CpuProfile } from './flame-graph.js';
import { topSelfTime } from './top-self-time.js';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 4, columnNumber: 0 });

describe('topSelfTime', () => {
  it('sums self samples per function, idle left out, shares of the busy samples', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 4, 5] },
        { id: 2, callFrame: frame('handler', 'file:///repo/apps/api/src/routes/orders/index.ts'), children: [3] },
        { id: 3, callFrame: frame('parse', 'file:///repo/node_modules/.pnpm/zod@4/node_modules/zod/parse.js') },
        { id: 4, callFrame: frame('(idle)') },
        { id: 5, callFrame: frame('parse', 'file:///repo/node_modules/.pnpm/zod@4/node_modules/zod/parse.js') },
      ],
      startTime: 0,
      endTime: 8,
      samples: [3, 3, 5, 2, 4, 4, 4, 4],
    };
    expect(topSelfTime(profile, 10)).toEqual([
      { functionName: 'parse', file: 'node_modules/zod/parse.js', line: 5, selfSamples: 3, share: 0.75 },
      { functionName: 'handler', file: 'apps/api/src/routes/orders/index.ts', line: 5, selfSamples: 1, share: 0.25 },
    ]);
    expect(topSelfTime(profile, 1)).toHaveLength(1);
  });
});
