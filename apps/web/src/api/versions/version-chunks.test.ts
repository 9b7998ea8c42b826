import { describe, expect, it } from 'vitest';
import { useProductionBuild } from '../../../test/production-build';

/** The version check and its loader: a start-up chunk main.ts imports while the app mounts. */
const START_UP = 'src/api/versions/start-api-version.ts';
const V1_MODULE = 'src/api/versions/v1/index.ts';
const V2_MODULE = 'src/api/versions/v2/index.ts';
/** v2's schemas and endpoints in the contract: only the v2 chunk's graph may hold them. */
const V2_CONTRACT = /packages\/contract\/src\/(orders-v2|endpoints-v2)\.ts$/;
const { chunk, staticGraphOf, modulesOf } = useProductionBuild();

describe('the build splits the API versions', () => {
  it('loads each version module with import(), from its own named chunk', () => {
    const entry = chunk('index.html');
    expect(entry.isEntry).toBe(true);
    expect(entry.dynamicImports).toContain(START_UP);
    expect(chunk(START_UP).dynamicImports).toEqual(expect.arrayContaining([V1_MODULE, V2_MODULE]));
    expect(chunk(V2_MODULE)).toMatchObject({ isDynamicEntry: true, file: expect.stringMatching(/^assets\/api-v2-/) });
    expect(chunk(V1_MODULE)).toMatchObject({ isDynamicEntry: true, file: expect.stringMatching(/^assets\/api-v1-/) });
  });

  it("keeps v2's code out of everything a page loads before it knows its version", () => {
    // index.html's scripts, and the start-up chunk that learns the version.
    const preloaded = [...new Set([...staticGraphOf('index.html'), ...staticGraphOf(START_UP)])];
    expect(preloaded).not.toContain(V2_MODULE);
    expect(preloaded).not.toContain(V1_MODULE);
    const modules = preloaded.flatMap((key) => modulesOf(chunk(key).file));
    expect(modules.some((source) => source.endsWith('src/main.ts'))).toBe(true);
    expect(modules.filter((source) => /src\/api\/versions\/v[12]\//.test(source))).toEqual([]);
    expect(modules.filter((source) => V2_CONTRACT.test(source))).toEqual([]);
  });

  it('puts the v2 adapter in the v2 chunk, which the v1 chunk never imports', () => {
    const v2Modules = modulesOf(chunk(V2_MODULE).file);
    expect(v2Modules.some((source) => source.endsWith('src/api/versions/v2/index.ts'))).toBe(true);
    expect(v2Modules.some((source) => source.endsWith('src/api/versions/v2/order-from-v2.ts'))).toBe(true);
    const v1Graph = [...staticGraphOf(V1_MODULE)];
    expect(v1Graph).not.toContain(V2_MODULE);
    const v1Modules = v1Graph.flatMap((key) => modulesOf(chunk(key).file));
    expect(v1Modules.filter((source) => source.includes('/versions/v2/'))).toEqual([]);
    // Nor the contract's v2 schemas: a v1 user downloads no v2 code at all.
    expect(v1Modules.filter((source) => V2_CONTRACT.test(source))).toEqual([]);
    const v2Graph = [...staticGraphOf(V2_MODULE)].flatMap((key) => modulesOf(chunk(key).file));
    expect(v2Graph.filter((source) => V2_CONTRACT.test(source)).length).toBe(2);
  });
});
