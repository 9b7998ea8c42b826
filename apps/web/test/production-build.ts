import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWebBuild } from '@tandem/local-stack';
import { beforeAll } from 'vitest';

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

/**
 * The production build of the current sources (local-stack's ensureWebBuild: made once per
 * source state and shared with the browser suite and the labs, which is also what runs in
 * production: the build holds no setting of a run), read through the manifest Vite writes
 * and the source maps that say which modules each chunk holds.
 */
export function useProductionBuild(): ProductionBuild {
  let outDir = '';
  let manifest: Manifest = {};
  let output = '';

  beforeAll(async () => {
    const build = await ensureWebBuild();
    outDir = build.distDir;
    output = build.output();
    manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
  }, 300_000);

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
