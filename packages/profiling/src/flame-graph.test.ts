import { describe, expect, it } from 'vitest';
import { frame, profileThisProcess, sampleCpuProfile } from './cpu-profile-fixtures.js';
import { frameKind, frameName, frameTree, renderFlameGraph, shareOfSamples } from './flame-graph.js';

/** `encode` in zod as pnpm installs it, so frame names must shorten the path to the package. */
const PROFILE = sampleCpuProfile(
  frame('encode', 'file:///repo/node_modules/.pnpm/zod@4/node_modules/zod/v4/core/parse.js'),
);

describe('flame graph', () => {
  it('builds inclusive counts and merges siblings of the same name', () => {
    const tree = frameTree(PROFILE);
    expect(tree.total).toBe(10);
    const main = tree.children.find((child) => child.name.startsWith('main'));
    expect(main?.total).toBe(6);
    expect(main?.children.map((child) => [child.name.split(' ')[0], child.total])).toEqual([
      ['encode', 3],
      ['stringify', 1],
    ]);
  });

  it('names and classifies frames', () => {
    expect(frameName(PROFILE.nodes[2]?.callFrame ?? frame(''))).toBe('encode (zod/parse.js:10)');
    expect(frameName(PROFILE.nodes[1]?.callFrame ?? frame(''))).toBe('main (src/app.ts:10)');
    expect(frameKind(frame('encode', 'file:///x/node_modules/zod/a.js'))).toBe('dependency');
    expect(frameKind(frame('writeGeneric', 'node:internal/stream_base_commons'))).toBe('node');
    expect(frameKind(frame('stringify'))).toBe('node');
    expect(frameKind(frame('(garbage collector)'))).toBe('v8');
    expect(frameKind(frame('main', 'file:///repo/apps/api/src/app.ts'))).toBe('app');
  });

  it('measures the share of busy samples through a frame, idle left out', () => {
    expect(shareOfSamples(PROFILE, (f) => f.url.includes('/zod/'))).toBeCloseTo(3 / 6);
    expect(shareOfSamples(PROFILE, (f) => f.functionName === 'main')).toBe(1);
    expect(shareOfSamples(PROFILE, () => false)).toBe(0);
  });

  it('renders one box per visible frame, idle left out, widths proportional to samples', () => {
    const svg = renderFlameGraph(PROFILE, { title: 'a <test>', width: 1020 });
    expect(svg).toContain('<svg');
    expect(svg).toMatch(/^<svg [^>]*>\n<title>a &lt;test&gt;<\/title>/);
    expect(svg).not.toContain('(idle)');
    const widthOf = (name: string) => {
      const match = new RegExp(`<title>${name}[^<]*</title><rect [^>]*width="([\\d.]+)"`).exec(svg);
      return Number(match?.[1]);
    };
    // 1000 px of plot for 6 busy samples: main 6/6, encode 3/6, stringify 1/6 (minus the 0.5 px gap).
    expect(widthOf('main')).toBeCloseTo(999.5, 0);
    expect(widthOf('encode')).toBeCloseTo(499.5, 0);
    expect(widthOf('stringify')).toBeCloseTo(166.2, 0);
  });

  it('renders a real profile recorded from this process', async () => {
    const { profile, sink } = await profileThisProcess(200);
    expect(sink).toBeGreaterThan(0);
    expect(frameTree(profile).total).toBeGreaterThan(0);
    expect(renderFlameGraph(profile, { title: 'this process' })).toMatch(/<rect [^>]*fill="rgb/);
  });
});
