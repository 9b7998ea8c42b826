import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webSourcesHash } from './web-sources-hash.js';

let root: string;
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tandem-web-sources-'));
  write('apps/web/index.html', '<html></html>');
  write('apps/web/vite.config.ts', 'export default {}');
  write('apps/web/src/main.ts', 'main');
  write('apps/web/e2e/orders.spec.ts', 'spec');
  write('apps/web/server/server.ts', 'server');
  write('packages/contract/src/orders.ts', 'orders');
  write('pnpm-lock.yaml', 'lock');
  write('tsconfig.base.json', '{}');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('webSourcesHash', () => {
  it('changes with the app’s sources, the contract’s, the build config and the lockfile', () => {
    const before = webSourcesHash(root);
    for (const [path, content] of [
      ['apps/web/src/main.ts', 'main 2'],
      ['apps/web/src/pages/New.vue', '<template/>'],
      ['apps/web/vite.config.ts', 'export default { build: {} }'],
      ['packages/contract/src/orders.ts', 'orders 2'],
      ['pnpm-lock.yaml', 'lock 2'],
    ] as const) {
      const previous = webSourcesHash(root);
      write(path, content);
      expect(webSourcesHash(root), path).not.toBe(previous);
    }
    expect(webSourcesHash(root)).not.toBe(before);
  });

  it('stays the same for what never reaches the bundle: tests, e2e, the server, docs', () => {
    const before = webSourcesHash(root);
    write('apps/web/src/main.test.ts', 'test');
    write('apps/web/e2e/orders.spec.ts', 'spec 2');
    write('apps/web/server/server.ts', 'server 2');
    write('apps/web/README.md', 'docs');
    write('apps/web/dist/index.html', 'built');
    write('packages/contract/src/orders.test.ts', 'test');
    expect(webSourcesHash(root)).toBe(before);
  });
});
