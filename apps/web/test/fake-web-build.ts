import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

/** What the fake build's files hold, for the tests to compare answers with. */
export const FAKE_BUILD = {
  indexHtml: [
    '<!doctype html>',
    '<html lang="en">',
    '  <head>',
    '    <title>Tandem</title>',
    '    <script type="module" crossorigin src="/assets/index-B1x2c3d4.js"></script>',
    '    <link rel="stylesheet" crossorigin href="/assets/index-S1t2y3l4.css">',
    '  </head>',
    '  <body><div id="app"></div></body>',
    '</html>',
    '',
  ].join('\n'),
  script: `console.log(${JSON.stringify('tandem '.repeat(400))});\n`,
  scriptPath: '/assets/index-B1x2c3d4.js',
  stylesheet: 'h1{color:#1d2623}',
  stylesheetPath: '/assets/index-S1t2y3l4.css',
  favicon: '<svg xmlns="http://www.w3.org/2000/svg"/>',
  /** The one page the fake build pre-rendered (vite-plugins/first-screens.ts writes the real ones). */
  firstScreen: {
    path: '/customers',
    apiOriginPlaceholder: 'https://api-origin.tandem.invalid',
    html: '<h1>Customers</h1><footer>API <code>https://api-origin.tandem.invalid</code></footer>',
    modulepreload: ['/assets/CustomersPage-C1d2e3f4.js'],
  },
} as const;

export interface FakeWebBuild {
  dir: string;
  remove(): void;
}

/**
 * A folder shaped like the SPA's production build (index.html, a hashed script with the
 * .br and .gz the build writes beside it, a stylesheet, a public file, Vite's manifest, one pre-rendered
 * first screen), without running
 * Vite: the server's tests need its shape, not the app.
 */
export function createFakeWebBuild(): FakeWebBuild {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-fake-web-build-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, '.vite'));
  writeFileSync(join(dir, 'index.html'), FAKE_BUILD.indexHtml);
  const script = join(dir, FAKE_BUILD.scriptPath);
  writeFileSync(script, FAKE_BUILD.script);
  writeFileSync(`${script}.br`, brotliCompressSync(FAKE_BUILD.script));
  writeFileSync(`${script}.gz`, gzipSync(FAKE_BUILD.script));
  writeFileSync(join(dir, FAKE_BUILD.stylesheetPath), FAKE_BUILD.stylesheet);
  writeFileSync(join(dir, 'favicon.svg'), FAKE_BUILD.favicon);
  writeFileSync(join(dir, '.vite', 'manifest.json'), '{}');
  const { path, apiOriginPlaceholder, html, modulepreload } = FAKE_BUILD.firstScreen;
  writeFileSync(
    join(dir, '.vite', 'first-screens.json'),
    JSON.stringify({ apiOriginPlaceholder, pages: { [path]: { html, modulepreload, stylesheets: [] } } }),
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
