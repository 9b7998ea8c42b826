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
    '  </head>',
    '  <body><div id="app"></div></body>',
    '</html>',
    '',
  ].join('\n'),
  script: `console.log(${JSON.stringify('tandem '.repeat(400))});\n`,
  scriptPath: '/assets/index-B1x2c3d4.js',
  favicon: '<svg xmlns="http://www.w3.org/2000/svg"/>',
} as const;

export interface FakeWebBuild {
  dir: string;
  remove(): void;
}

/**
 * A folder shaped like the SPA's production build (index.html, a hashed script with the
 * .br and .gz the build writes beside it, a public file, Vite's manifest), without running
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
  writeFileSync(join(dir, 'favicon.svg'), FAKE_BUILD.favicon);
  writeFileSync(join(dir, '.vite', 'manifest.json'), '{}');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
