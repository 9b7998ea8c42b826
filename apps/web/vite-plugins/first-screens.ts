import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { build, defaultServerConditions, type Logger, type Plugin, type UserConfig } from 'vite';

/** Where the build writes the first screens (not served: the web server reads it at start). */
export const FIRST_SCREENS_FILE = '.vite/first-screens.json';

/**
 * What `FIRST_SCREENS_FILE` holds (the web server, server/first-screens.ts, reads the same
 * shape): per path, the markup of the page's first screen and the files its route loads
 * besides what index.html already does.
 */
export interface FirstScreensFile {
  /** Written in the markup where the API origin goes; the web server puts the run's there. */
  apiOriginPlaceholder: string;
  pages: Record<string, { html: string; modulepreload: string[]; stylesheets: string[] }>;
}

interface RenderModule {
  API_ORIGIN_PLACEHOLDER: string;
  renderFirstScreen(path: string): Promise<{ html: string; modules: string[] }>;
}

export interface FirstScreensOptions {
  /** The module that renders a path (src/first-screen/render-first-screen.ts). */
  entry: string;
  /** The paths whose first screen needs no data from the URL (`/orders`, not `/orders/:id`). */
  paths: readonly string[];
  /** The app's `resolve` options (conditions, aliases), for the render to import what the browser does. */
  resolve: { conditions: string[]; alias: NonNullable<UserConfig['resolve']>['alias'] };
}

/**
 * After the production build, renders each of `paths` to HTML with Vue's server renderer —
 * the same components as the browser, built once more for Node into a temporary folder — and
 * writes `FIRST_SCREENS_FILE`: the web server puts a page's markup into `<div id="app">`, so
 * the first paint needs no JavaScript, and modulepreloads its route's chunks (read from
 * Vite's SSR manifest: the client files of the modules the render used).
 */
export function firstScreens(options: FirstScreensOptions): Plugin {
  let root = '';
  let outDir = '';
  let logger: Logger | undefined;
  return {
    name: 'tandem:first-screens',
    apply: (_config, { command, isSsrBuild }) => command === 'build' && !isSsrBuild,
    configResolved(config) {
      root = config.root;
      outDir = resolve(config.root, config.build.outDir);
      logger = config.logger;
    },
    async closeBundle() {
      const renderDir = mkdtempSync(join(tmpdir(), 'tandem-first-screens-'));
      try {
        await build({
          configFile: false,
          root,
          mode: 'production',
          logLevel: 'warn',
          plugins: [vue()],
          resolve: { alias: options.resolve.alias },
          ssr: {
            noExternal: true,
            resolve: { conditions: [...options.resolve.conditions, ...defaultServerConditions] },
          },
          build: {
            ssr: options.entry,
            outDir: renderDir,
            emptyOutDir: true,
            sourcemap: false,
            minify: false,
            // One file: the render runs once, in Node, and dynamic imports (the lazy routes) need no chunks there.
            rolldownOptions: { output: { entryFileNames: 'render.mjs', codeSplitting: false } },
          },
        });
        const render = (await import(pathToFileURL(join(renderDir, 'render.mjs')).href)) as RenderModule;
        const readBuildJson = (file: string) => JSON.parse(readFileSync(join(outDir, '.vite', file), 'utf8'));
        const filesOfRoute = routeFiles(readBuildJson('ssr-manifest.json'), readBuildJson('manifest.json'));
        const loadedByIndex = new Set(
          [...readFileSync(join(outDir, 'index.html'), 'utf8').matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]),
        );
        const file: FirstScreensFile = { apiOriginPlaceholder: render.API_ORIGIN_PLACEHOLDER, pages: {} };
        for (const path of options.paths) {
          const { html, modules } = await render.renderFirstScreen(path);
          const files = filesOfRoute(modules).filter((f) => !loadedByIndex.has(f));
          file.pages[path] = {
            html,
            modulepreload: files.filter((f) => f.endsWith('.js')),
            stylesheets: files.filter((f) => f.endsWith('.css')),
          };
        }
        writeFileSync(join(outDir, FIRST_SCREENS_FILE), `${JSON.stringify(file, null, 2)}\n`);
        logger?.info(`first screens: ${options.paths.join(', ')} pre-rendered into ${FIRST_SCREENS_FILE}`);
      } finally {
        rmSync(renderDir, { recursive: true, force: true });
      }
    },
  };
}

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}

/**
 * The client files (`/assets/…`) that the source modules a render used load: the chunks Vite's
 * SSR manifest names for them, with everything those chunks import statically and their
 * CSS, read from the build manifest.
 */
function routeFiles(
  ssrManifest: Record<string, string[]>,
  manifest: Record<string, ManifestChunk>,
): (modules: readonly string[]) => string[] {
  const byFile = new Map(Object.values(manifest).map((chunk) => [`/${chunk.file}`, chunk]));
  return (modules) => {
    const files = new Set<string>();
    const add = (file: string) => {
      if (files.has(file)) return;
      files.add(file);
      const chunk = byFile.get(file);
      for (const css of chunk?.css ?? []) files.add(`/${css}`);
      for (const key of chunk?.imports ?? []) {
        const imported = manifest[key];
        if (imported) add(`/${imported.file}`);
      }
    };
    for (const id of modules) for (const file of ssrManifest[id] ?? []) add(file);
    return [...files];
  };
}
