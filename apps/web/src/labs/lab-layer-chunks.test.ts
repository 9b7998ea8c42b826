import { describe, expect, it } from 'vitest';
import { useProductionBuild } from '../../test/production-build';

const INSTALLER = 'src/labs/install-labs.ts';
const LAB_CONSOLE = 'src/labs/LabsPage.vue';
/** A module of the SPA's lab layer, or of the contract's lab module. */
const LAB_MODULE = /(?:^|\/)(?:src\/labs\/|packages\/contract\/src\/labs\/)/;
/** A module of the contract's lab module (catalogue, lab endpoints, rollout plans). */
const CONTRACT_LAB_MODULE = /packages\/contract\/src\/labs\//;

// The one production build: main.ts loads the lab layer only when the page's config block
// says labs are on (WEB_LABS_ENABLED), so what a page with labs off loads must hold none of it.
const build = useProductionBuild();

describe('the lab layer in the build', () => {
  it('is loaded with import(), from chunks of its own', () => {
    const entry = build.chunk('index.html');
    expect(entry.dynamicImports).toContain(INSTALLER);
    expect(build.chunk(INSTALLER).isDynamicEntry).toBe(true);
    // The Lab console is a chunk of its own again: installing the layer does not load it.
    expect(build.chunk(INSTALLER).dynamicImports).toContain(LAB_CONSOLE);
    expect([...build.staticGraphOf(INSTALLER)]).not.toContain(LAB_CONSOLE);
  });

  it('is not in anything the first screen loads: no lab module, no contract lab module', () => {
    const preloaded = [...build.staticGraphOf('index.html')];
    expect(preloaded).not.toContain(INSTALLER);
    const modules = preloaded.flatMap((key) => build.modulesOf(build.chunk(key).file));
    expect(modules.some((source) => source.endsWith('src/main.ts'))).toBe(true);
    // Without the contract's lab endpoints, the first screen has nothing to ask the lab
    // state with (e2e/without-labs.spec.ts watches a build without labs make no such call).
    expect(modules.filter((source) => LAB_MODULE.test(source))).toEqual([]);
  });

  it('brings the contract’s lab module with it', () => {
    const labGraph = [...build.staticGraphOf(INSTALLER)].flatMap((key) => build.modulesOf(build.chunk(key).file));
    expect(labGraph.some((source) => source.endsWith('src/labs/install-labs.ts'))).toBe(true);
    expect(labGraph.some((source) => CONTRACT_LAB_MODULE.test(source))).toBe(true);
  });
});
