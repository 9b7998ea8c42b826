import { describe, expect, it } from 'vitest';
import { useProductionBuild } from '../test/production-build';
import { KB, measureInitialJs } from './initial-js';
import { INITIAL_JS_BUDGET_KB } from './initial-js-budget';
import { initialJsReport } from './initial-js-report';

// The production build of the current code (the one every run serves; what it printed is
// kept beside it, so those lines can be read too).
const build = useProductionBuild();

/** The scripts index.html loads or modulepreloads, as the browser reads them. */
function scriptsOfIndexHtml(): string[] {
  const tags = build.read('index.html').match(/<(?:script|link)\b[^>]*>/g) ?? [];
  return tags
    .filter((tag) => tag.startsWith('<script') || /\brel="modulepreload"/.test(tag))
    .map((tag) => /\b(?:src|href)="\/([^"]+)"/.exec(tag)?.[1])
    .filter((file) => file !== undefined);
}

function measured() {
  const keys = [...build.staticGraphOf('index.html')];
  const chunks = keys.map((key) => {
    const { file, imports = [] } = build.chunk(key);
    return { fileName: file, code: build.read(file), imports: imports.map((k) => build.chunk(k).file), modules: {} };
  });
  return measureInitialJs(build.chunk('index.html').file, chunks);
}

describe('the initial JS of the production build', () => {
  it('is what index.html loads or modulepreloads', () => {
    expect(
      measured()
        .files.map((file) => file.fileName)
        .sort(),
    ).toEqual(scriptsOfIndexHtml().sort());
  });

  it(`stays within the budget: ${INITIAL_JS_BUDGET_KB} KB gzip`, () => {
    const initial = measured();
    const files = initial.files.map((file) => `  ${(file.gzipBytes / KB).toFixed(1)} KB  ${file.fileName}`);
    const report = [...initialJsReport(initial, INITIAL_JS_BUDGET_KB), ...files].join('\n');
    expect(initial.gzipBytes, report).toBeLessThanOrEqual(INITIAL_JS_BUDGET_KB * KB);
  });

  // The contract's schemas load with the start-up and page chunks, not with the first paint
  // (docs/performance.md, "How much Zod the first paint needs"): a shared module the bundler
  // placed in the contract's chunk once took that whole chunk into the first load (+7.2 KB).
  it("holds no module of the contract (read from the initial chunks' source maps)", () => {
    const sources = [...build.staticGraphOf('index.html')].flatMap((key) => build.modulesOf(build.chunk(key).file));
    expect(sources.some((source) => source.includes('/zod/'))).toBe(true);
    expect(sources.filter((source) => source.includes('packages/contract/'))).toEqual([]);
  });

  it('is printed by the build with the same figure, against the budget', () => {
    const figure = (measured().gzipBytes / KB).toFixed(1);
    expect(build.output()).toContain(`initial JS: ${figure} KB gzip (budget ${INITIAL_JS_BUDGET_KB} KB)`);
    expect(build.output()).toMatch(/top contributors[^\n]*\n\s+\d+\.\d%\s+[\d.]+ KB {2}\S/);
  });
});
