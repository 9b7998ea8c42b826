import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from './web-build.js';
import { webSourcesHash } from './web-sources-hash.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'tandem-web-build-cache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('ensureWebBuild', () => {
  it('builds once for callers that ask together, then reuses the build', async () => {
    const [first, second] = await Promise.all([ensureWebBuild(cacheDir), ensureWebBuild(cacheDir)]);
    expect(first?.distDir).toBe(join(cacheDir, webSourcesHash()));
    expect(second?.distDir).toBe(first?.distDir);
    expect([first?.reused, second?.reused].sort()).toEqual([false, true]);
    expect(existsSync(join(first?.distDir ?? '', 'index.html'))).toBe(true);
    // Precompressed at build time, beside each asset.
    const assets = readdirSync(join(first?.distDir ?? '', 'assets'));
    expect(assets.some((file) => file.endsWith('.js.br'))).toBe(true);
    expect(assets.some((file) => file.endsWith('.js.gz'))).toBe(true);
    // No temporary folder or lock left behind.
    expect(readdirSync(cacheDir).sort()).toEqual([webSourcesHash(), `${webSourcesHash()}.build.log`]);

    const again = await ensureWebBuild(cacheDir);
    expect({ distDir: again.distDir, reused: again.reused }).toEqual({ distDir: first?.distDir, reused: true });
    // What the build printed is kept beside it: the initial JS budget line among it.
    expect(again.output()).toMatch(/initial JS: \d+\.\d KB gzip \(budget \d+ KB\)/);
  }, 240_000);
});
