import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDevCertDir, loadTlsCertificate } from '@tandem/dev-cert';
import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, defineConfig } from 'vite';
import { initialJsBudget } from './build/initial-js-budget-plugin';
import { firstScreens } from './vite-plugins/first-screens';
import { precompress } from './vite-plugins/precompress';
import { runtimeConfigBlock } from './vite-plugins/runtime-config-block';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const API_VERSION_MODULE = /[\\/]src[\\/]api[\\/]versions[\\/](v\d+)[\\/]index\.ts$/;

// The dev server's own origin. The SPA's settings (the API origin, …) are not built in: the
// web server (server/) writes them into index.html at run time, and so does `vite dev`
// (vite-plugins/runtime-config-block.ts), from WEB_API_URL and the rest.
const host = process.env.WEB_HOST || 'localhost';
const port = portOf(process.env.WEB_PORT, 5173);

// The contract's TypeScript source, so the app never needs the package built first; and Zod
// without its eval probe, which the CSP would report on every page (src/zod-for-strict-csp.ts).
// The build's pre-render of the first screens imports the app the same way.
const sourceCondition = '@tandem/source';
const alias = [{ find: /^zod$/, replacement: fileURLToPath(new URL('./src/zod-for-strict-csp.ts', import.meta.url)) }];

/**
 * The pages whose first screen is in the HTML the web server sends
 * (docs/decisions/0014-pre-rendered-first-screen.md). Pages to read only: a form sent
 * before the app runs would take typing that the app then drops.
 */
const PRE_RENDERED_PATHS = ['/', '/orders', '/customers'];

export default defineConfig(async ({ command }) => {
  // The dev server answers over HTTP/2, which Vite turns on with TLS.
  const https =
    command === 'serve'
      ? await loadTlsCertificate({
          certFile: process.env.TLS_CERT_FILE || undefined,
          keyFile: process.env.TLS_KEY_FILE || undefined,
          devCertDir: devCertDirOf(process.env.TLS_DEV_CERT_DIR),
        }).then(({ key, cert }) => ({ key, cert }))
      : undefined;

  return {
    plugins: [
      vue(),
      runtimeConfigBlock(),
      precompress(),
      initialJsBudget(),
      firstScreens({
        entry: 'src/first-screen/render-first-screen.ts',
        paths: PRE_RENDERED_PATHS,
        resolve: { conditions: [sourceCondition], alias },
      }),
    ],
    resolve: { conditions: [sourceCondition, ...defaultClientConditions], alias },
    // A taken port is an error with the port in it, never a silent move to the next one.
    server: { host, port, strictPort: true, https },
    build: {
      target: 'es2023',
      sourcemap: true,
      // dist/.vite/manifest.json: which chunk imports which, statically or with import();
      // src/api/versions/version-chunks.test.ts reads it to prove v1 never loads v2's code,
      // src/labs/lab-layer-chunks.test.ts that the first screen loads no lab code,
      // build/initial-js-budget.test.ts that the first screen's JS stays within its budget.
      manifest: true,
      // dist/.vite/ssr-manifest.json: the client files of each source module, for the
      // modulepreloads of a pre-rendered page's route (vite-plugins/first-screens.ts).
      ssrManifest: true,
      // Libraries in one chunk and the contract in another: in the network panel of a lab,
      // each file's name says what it is, and app changes leave the vendor file cached.
      rolldownOptions: {
        output: {
          codeSplitting: {
            groups: [
              // Only the libraries the first screen loads (`$initial`: reached from index.html by
              // static imports). One that a single page or the start-up chunks use (the customers
              // page's virtual rows, axios, web-vitals) travels with them, not in every first load.
              // The Zod entry the alias points to (src/zod-for-strict-csp.ts) is Zod too: left to the
              // bundler, it joined the contract's chunk and took that whole chunk into the first load.
              {
                name: 'vendor',
                test: /node_modules[\\/](?!@tandem)|src[\\/]zod-for-strict-csp\.ts$/,
                tags: ['$initial' as const],
              },
              // v2's schemas stay out of it: they travel in the v2 chunk, which a v1 user never loads.
              // So does the contract's lab module: it travels with the SPA's lab layer (src/labs/),
              // which a build without labs never loads.
              {
                name: 'contract',
                test: /packages[\\/]contract[\\/](?!src[\\/](?:(?:orders|endpoints)-v2\.ts|labs[\\/]))/,
              },
            ],
          },
          // Each API version's module is a chunk of its own, loaded with import() once the
          // version is known (src/api/versions/load-api-version.ts): api-v1-…js, api-v2-…js.
          chunkFileNames: (chunk: { facadeModuleId: string | null }) => {
            const version = API_VERSION_MODULE.exec(chunk.facadeModuleId ?? '')?.[1];
            return version ? `assets/api-${version}-[hash].js` : 'assets/[name]-[hash].js';
          },
        },
      },
    },
  };
});

function portOf(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`WEB_PORT must be a port number (1–65535), got "${value}"`);
  }
  return port;
}

/** Same rule as the API: a relative TLS_DEV_CERT_DIR is relative to the repository root. */
function devCertDirOf(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return defaultDevCertDir;
  return isAbsolute(value) ? value : resolve(repoRoot, value);
}
