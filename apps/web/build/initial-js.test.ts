import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type BuiltChunk, KB, measureInitialJs, packageOf } from './initial-js';
import { initialJsReport } from './initial-js-report';

const VUE =
  '/repo/node_modules/.pnpm/@vue+runtime-core@3.5.45/node_modules/@vue/runtime-core/dist/runtime-core.esm-bundler.js';
const ZOD = '/repo/node_modules/.pnpm/zod@4.6.7/node_modules/zod/v4/classic/schemas.js';
const APP = '/repo/apps/web/src/main.ts';

const chunk = (fileName: string, imports: string[], modules: Record<string, number> = {}): BuiltChunk => ({
  fileName,
  code: `/* ${fileName} */ export const x = ${JSON.stringify('x'.repeat(200))};`,
  imports,
  modules,
});

describe('measureInitialJs', () => {
  it('counts the entry and what it imports statically, transitively, never a chunk only import() reaches', () => {
    const chunks = [
      chunk('index.js', ['vendor.js', 'shared.js'], { [APP]: 300 }),
      chunk('vendor.js', ['shared.js'], { [VUE]: 600, [ZOD]: 100 }),
      chunk('shared.js', ['index.js']), // a cycle back to the entry
      chunk('page.js', ['vendor.js'], { [ZOD]: 5_000 }), // loaded with import() only
    ];
    const measured = measureInitialJs('index.js', chunks);
    expect(measured.files.map((file) => file.fileName)).toEqual(['index.js', 'vendor.js', 'shared.js']);
    const gzip = (name: string) => gzipSync(chunks.find((c) => c.fileName === name)?.code ?? '').byteLength;
    expect(measured.gzipBytes).toBe(gzip('index.js') + gzip('vendor.js') + gzip('shared.js'));
    expect(measured.contributors).toEqual([
      { name: '@vue/runtime-core', bytes: 600, share: 0.6 },
      { name: 'the app (src/)', bytes: 300, share: 0.3 },
      { name: 'zod', bytes: 100, share: 0.1 },
    ]);
  });

  it('refuses a build that imports a chunk it does not hold', () => {
    expect(() => measureInitialJs('index.js', [chunk('index.js', ['gone.js'])])).toThrow(/gone\.js/);
  });
});

describe('packageOf', () => {
  it('names the npm package, scoped or not, however the package manager lays it out', () => {
    expect(packageOf(VUE)).toBe('@vue/runtime-core');
    expect(packageOf(ZOD)).toBe('zod');
    expect(packageOf('/repo/node_modules/axios/lib/axios.js')).toBe('axios');
    expect(packageOf('C:\\repo\\node_modules\\vue-router\\dist\\vue-router.mjs')).toBe('vue-router');
  });

  it('names workspace packages, the app, and code the bundler made', () => {
    expect(packageOf('/repo/packages/contract/src/envelope.ts')).toBe('packages/contract');
    expect(packageOf('/repo/apps/web/src/App.vue?vue&type=script&setup=true&lang.ts')).toBe('the app (src/)');
    expect(packageOf('\0vite/preload-helper.js')).toBe('bundler helpers');
  });
});

describe('initialJsReport', () => {
  const measured = {
    files: [{ fileName: 'index.js', bytes: 300 * KB, gzipBytes: 80.44 * KB }],
    gzipBytes: 80.44 * KB,
    contributors: [
      { name: 'zod', bytes: 150 * KB, share: 0.5 },
      { name: '@vue/runtime-core', bytes: 150 * KB, share: 0.5 },
    ],
  };

  it('prints the total against the budget, then the largest contributors', () => {
    const [headline, ...rest] = initialJsReport(measured, 90);
    expect(headline).toBe('initial JS: 80.4 KB gzip (budget 90 KB), in the 1 file index.html loads or modulepreloads');
    expect(rest).toEqual([
      '  top contributors (share of the initial chunks before gzip):',
      '     50.0%   150.0 KB  zod',
      '     50.0%   150.0 KB  @vue/runtime-core',
    ]);
  });

  it('says by how much a build is over the budget', () => {
    expect(initialJsReport(measured, 80)[0]).toContain('(budget 80 KB) — 0.4 KB over budget');
  });
});
