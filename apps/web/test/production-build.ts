import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

/** One entry of the manifest Vite writes (`build.manifest`): a chunk and what it imports. */
export interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface ProductionBuild {
  /** The manifest's entry for `key` (a source path such as `src/main.ts`, `index.html`, or `_chunk.js`). */
  chunk(key: string): ManifestChunk;
  /** The chunks a page loads before any import(): `key` and everything it imports statically. */
  staticGraphOf(key: string): Set<string>;
  /** The source modules a built chunk holds, from its source map (none for generated code only). */
  modulesOf(file: string): string[];
  /** A built file's text (`index.html`, `assets/index-….js`). */
  read(file: string): string;
  /** What the build printed (its info lines when built with `logLevel: 'info'`). */
  output(): string;
}

const webDir = fileURLToPath(new URL('../', import.meta.url));

/**
 * The production build, made in the file's `beforeAll` into a temporary folder (the build of
 * the current code, not whatever dist/ holds) with the environment given, read through the
 * manifest Vite writes and the source maps that say which modules each chunk holds.
 */
export function useProductionBuild(
  env: Record<string, string> = {},
  options: { logLevel?: 'info' | 'warn' } = {},
): ProductionBuild {
  let outDir = '';
  let manifest: Manifest = {};
  let output = '';

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'tandem-web-build-'));
    // As the package's `vite` script runs it (config through tsx, the contract from source).
    const { stdout } = await promisify(execFile)(
      join(webDir, 'node_modules/.bin/tsx'),
      ['--conditions=@tandem/source', 'node_modules/vite/bin/vite.js', '--configLoader', 'native', 'build'].concat([
        '--outDir',
        outDir,
        '--emptyOutDir',
        '--logLevel',
        options.logLevel ?? 'warn',
      ]),
      // NODE_ENV as a production build has it: vitest sets it to `test`, which Vite would keep,
      // and Vue's development branches with it.
      {
        cwd: webDir,
        env: { ...process.env, FORCE_COLOR: '0', NODE_ENV: 'production', ...env },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    output = stdout;
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

  function staticGraphOf(key: string, seen = new Set<string>()): Set<string> {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const imported of chunk(key).imports ?? []) staticGraphOf(imported, seen);
    return seen;
  }

  function modulesOf(file: string): string[] {
    const mapFile = join(outDir, `${file}.map`);
    if (!existsSync(mapFile)) return [];
    const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
    return map.sources.map((source) => source.replaceAll('\\', '/'));
  }

  return {
    chunk,
    staticGraphOf: (key) => staticGraphOf(key),
    modulesOf,
    read: (file) => readFileSync(join(outDir, file), 'utf8'),
    output: () => output,
  };
}
