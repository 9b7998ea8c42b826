import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenMarkdownLinks, headingAnchor, markdownLinks } from './markdown-links.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('markdownLinks', () => {
  it('finds inline links, images and reference definitions, not code', () => {
    const text = [
      'See [the API](apps/api/README.md) and ![chart](docs/labs/a.svg "Chart").',
      '`[not a link](nowhere.md)` and [two](b.md#part) on one line',
      '```ts',
      'const x = "[inside a fence](fence.md)";',
      '```',
      '[ref]: docs/decisions/0001.md',
    ].join('\n');
    expect(markdownLinks(text)).toEqual([
      { target: 'apps/api/README.md', line: 1 },
      { target: 'docs/labs/a.svg', line: 1 },
      { target: 'b.md#part', line: 2 },
      { target: 'docs/decisions/0001.md', line: 6 },
    ]);
  });
});

describe('headingAnchor', () => {
  it("makes GitHub's anchors", () => {
    expect(headingAnchor('`pnpm trace <request-id>`')).toBe('pnpm-trace-request-id');
    expect(headingAnchor('Quick start')).toBe('quick-start');
    expect(headingAnchor('What’s measured: p50/p99 (ms)')).toBe('whats-measured-p50p99-ms');
  });
});

describe('brokenMarkdownLinks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-md-links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a missing file, a missing heading and a way out of the repository; passes URLs and good links', () => {
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'page.md'), '# Page\n\n## Second part\n');
    writeFileSync(
      join(dir, 'README.md'),
      [
        '[ok](docs/page.md) [ok](docs/page.md#second-part) [ok](docs/) [ok](#top) [web](https://example.org/x.md)',
        '[gone](docs/moved.md)',
        '[anchor](docs/page.md#third-part)',
        '[out](../elsewhere.md)',
        '# Top',
      ].join('\n'),
    );
    expect(brokenMarkdownLinks(dir, ['README.md'])).toEqual([
      { file: 'README.md', line: 2, target: 'docs/moved.md', problem: 'no such file' },
      { file: 'README.md', line: 3, target: 'docs/page.md#third-part', problem: 'no heading #third-part' },
      { file: 'README.md', line: 4, target: '../elsewhere.md', problem: 'points outside the repository' },
    ]);
  });
});

describe('this repository', () => {
  it('has no broken relative link in its Markdown', () => {
    const files = execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    // A listing that found nothing would pass without checking anything.
    expect(files.length).toBeGreaterThan(5);
    const broken = brokenMarkdownLinks(root, files).map((b) => `${b.file}:${b.line} ${b.target} — ${b.problem}`);
    expect(broken).toEqual([]);
  });
});
