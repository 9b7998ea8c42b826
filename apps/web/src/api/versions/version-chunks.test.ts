import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The production build, made here into a temporary folder (the build of the current code,
 * not whatever dist/ holds), read through the manifest Vite writes (`build.manifest`) and
 * the source maps that say which modules each chunk holds.
 */
interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const webDir = fileURLToPath(new URL('../../../', import.meta.url));
const V1_MODULE = 'src/api/versions/v1/index.ts';
const V2_MODULE = 'src/api/versions/v2/index.ts';
/** v2's schemas and endpoints in the contract: only the v2 chunk's graph may hold them. */
const V2_CONTRACT = /packages\/contract\/src\/(orders-v2|endpoints-v2)\.ts$/;
let outDir: string;
let manifest: Manifest;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'tandem-web-build-'));
  // As the package's `vite` script runs it (config through tsx, the contract from source).
  await promisify(execFile)(
    join(webDir, 'node_modules/.bin/tsx'),
    ['--conditions=@tandem/source', 'node_modules/vite/bin/vite.js', '--configLoader', 'native', 'build'].concat([
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ]),
    { cwd: webDir, env: { ...process.env, FORCE_COLOR: '0' }, maxBuffer: 16 * 1024 * 1024 },
  );
  manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
}, 180_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

function chunk(key: string): ManifestChunk {
  const found = manifest[key];
  if (!found) throw new Error(`the manifest has no ${key}; it has ${Object.keys(manifest).join(', ')}`);
  return found;
}

/** The chunks a page loads before any import(): the entry and everything it imports statically. */
function staticGraphOf(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imported of chunk(key).imports ?? []) staticGraphOf(imported, seen);
  return seen;
}

/**
 * The source modules a built chunk holds, from its source map. A chunk of generated code
 * only (plugin-vue's export helper) has no map, so no module of ours.
 */
function modulesOf(file: string): string[] {
  const mapFile = join(outDir, `${file}.map`);
  if (!existsSync(mapFile)) return [];
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  return map.sources.map((source) => source.replaceAll('\\', '/'));
}

describe('the build splits the API versions', () => {
  it('loads each version module with import(), from its own named chunk', () => {
    const entry = chunk('index.html');
    expect(entry.isEntry).toBe(true);
    expect(entry.dynamicImports).toEqual(expect.arrayContaining([V1_MODULE, V2_MODULE]));
    expect(chunk(V2_MODULE)).toMatchObject({ isDynamicEntry: true, file: expect.stringMatching(/^assets\/api-v2-/) });
    expect(chunk(V1_MODULE)).toMatchObject({ isDynamicEntry: true, file: expect.stringMatching(/^assets\/api-v1-/) });
  });

  it("keeps v2's code out of everything a page loads before it knows its version", () => {
    const preloaded = [...staticGraphOf('index.html')];
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
