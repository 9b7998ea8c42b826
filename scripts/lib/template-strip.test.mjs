import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stripTemplate, withoutImporters } from './template-strip.mjs';

const dir = mkdtempSync(join(tmpdir(), 'tandem-strip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (/** @type {string} */ root, /** @type {Record<string, string | Buffer>} */ files) => {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return Object.keys(files);
};

describe('stripTemplate', () => {
  it('leaves the workshop out, cuts marked parts, deletes workshop JSON keys and copies the rest as it is', () => {
    const from = join(dir, 'from');
    const to = join(dir, 'to');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);
    const files = write(from, {
      'apps/api/src/labs/index.ts': 'export const labLayer = 1;\n',
      'labs/src/cli.ts': 'lab cli\n',
      'docs/labs/timeout.md': '# Timeout\n',
      'apps/api/src/app.ts':
        "import { a } from './a.js';\nimport { labLayer } from './labs/index.js'; // #labs\n// #region labs\nregister(labLayer);\n// #endregion labs\nexport {};\n",
      'apps/api/src/routes/orders.ts': 'export const orders = 1;\n',
      'package.json': `${JSON.stringify({ name: 'tandem', scripts: { test: 'node t', lab: 'pnpm lab', 'template:strip': 'node s' } }, null, 2)}\n`,
      'docs/screenshot.png': png,
    });
    const result = stripTemplate({ from, to, files });
    expect(result.left.sort()).toEqual(['apps/api/src/labs/index.ts', 'docs/labs/timeout.md', 'labs/src/cli.ts']);
    expect(result.edited.sort()).toEqual(['apps/api/src/app.ts', 'package.json']);
    expect(result.copied).toBe(4);
    expect(readFileSync(join(to, 'apps/api/src/app.ts'), 'utf8')).toBe("import { a } from './a.js';\nexport {};\n");
    expect(JSON.parse(readFileSync(join(to, 'package.json'), 'utf8'))).toEqual({
      name: 'tandem',
      scripts: { test: 'node t' },
    });
    expect(readFileSync(join(to, 'apps/api/src/routes/orders.ts'), 'utf8')).toBe('export const orders = 1;\n');
    expect(readFileSync(join(to, 'docs/screenshot.png'))).toEqual(png);
  });

  it('stops at a lab region left open, naming the file', () => {
    const from = join(dir, 'open');
    const files = write(from, { 'README.md': '# Tandem\n<!-- #region labs -->\n## Labs\n' });
    expect(() => stripTemplate({ from, to: join(dir, 'open-to'), files })).toThrow(
      /README\.md:2: #region labs is never closed/,
    );
  });
});

describe('withoutImporters', () => {
  it("removes a workspace package's importer block and nothing else", () => {
    const lock = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  apps/api:',
      '    dependencies:',
      '      fastify:',
      '        specifier: ^5.0.0',
      '  labs:',
      '    dependencies:',
      "      '@tandem/contract':",
      '        specifier: workspace:*',
      '  loadtests:',
      '    devDependencies: {}',
      'packages:',
      '  labs@1.0.0:',
      '    resolution: {}',
    ].join('\n');
    expect(withoutImporters(lock, ['labs'])).toBe(
      [
        "lockfileVersion: '9.0'",
        'importers:',
        '  apps/api:',
        '    dependencies:',
        '      fastify:',
        '        specifier: ^5.0.0',
        '  loadtests:',
        '    devDependencies: {}',
        'packages:',
        '  labs@1.0.0:',
        '    resolution: {}',
      ].join('\n'),
    );
  });
});
