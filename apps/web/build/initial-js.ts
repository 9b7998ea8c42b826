import { gzipSync } from 'node:zlib';

/** 1 KB = 1,024 bytes, as the budget and every printed figure count them. */
export const KB = 1024;

/** One JS file of a build, as the bundler wrote it. */
export interface BuiltChunk {
  fileName: string;
  code: string;
  /** File names this chunk imports statically (a browser fetches them before it runs it). */
  imports: readonly string[];
  /** Source module id → its size in the chunk, as the bundler rendered it; empty when unknown. */
  modules: Readonly<Record<string, number>>;
}

export interface InitialFile {
  fileName: string;
  bytes: number;
  gzipBytes: number;
}

export interface Contributor {
  /** The npm package a module comes from, a workspace package (`packages/contract`), or `the app (src/)`. */
  name: string;
  bytes: number;
  /** Of every module's rendered size in the initial JS. */
  share: number;
}

export interface InitialJs {
  /** The entry and every chunk it imports statically, entry first. */
  files: InitialFile[];
  /** Each file gzipped on its own (as a server sends it), summed. */
  gzipBytes: number;
  /** By package, largest first; empty when the chunks carry no module sizes. */
  contributors: Contributor[];
}

/**
 * The JS a page loads before it runs anything: the entry chunk and, transitively, every
 * chunk it imports statically (which Vite turns into `<link rel="modulepreload">` in
 * index.html). Chunks reached only through `import()` are not in it.
 */
export function measureInitialJs(entryFileName: string, chunks: readonly BuiltChunk[]): InitialJs {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const initial: BuiltChunk[] = [];
  const visit = (fileName: string) => {
    const chunk = byName.get(fileName);
    if (!chunk) throw new Error(`${fileName} is imported but not in the build`);
    if (initial.includes(chunk)) return;
    initial.push(chunk);
    for (const imported of chunk.imports) visit(imported);
  };
  visit(entryFileName);

  const files = initial.map(({ fileName, code }) => ({
    fileName,
    bytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code).byteLength,
  }));
  const sizes = new Map<string, number>();
  for (const chunk of initial) {
    for (const [id, bytes] of Object.entries(chunk.modules)) {
      const name = packageOf(id);
      sizes.set(name, (sizes.get(name) ?? 0) + bytes);
    }
  }
  const total = [...sizes.values()].reduce((sum, bytes) => sum + bytes, 0);
  const contributors = [...sizes]
    .map(([name, bytes]) => ({ name, bytes, share: total ? bytes / total : 0 }))
    .sort((a, b) => b.bytes - a.bytes);
  return { files, gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0), contributors };
}

/** Which package a bundled module belongs to, named as a person would look it up. */
export function packageOf(moduleId: string): string {
  const path = moduleId.replaceAll('\\', '/');
  const inNodeModules = path.lastIndexOf('/node_modules/');
  if (inNodeModules >= 0) {
    const [scopeOrName = '', name = ''] = path.slice(inNodeModules + '/node_modules/'.length).split('/');
    return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
  }
  // Code the bundler or a plugin generated (`\0vite/preload-helper`, `\0plugin-vue:export-helper`).
  if (!/^(?:\/|[A-Za-z]:\/)/.test(path)) return 'bundler helpers';
  const workspacePackage = /\/packages\/([^/]+)\//.exec(path)?.[1];
  return workspacePackage ? `packages/${workspacePackage}` : 'the app (src/)';
}
