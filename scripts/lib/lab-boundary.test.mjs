import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findLabReferences, isCore } from './lab-boundary.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('findLabReferences', () => {
  it('names every way core code can reach the lab layer', () => {
    const found = findLabReferences([
      {
        path: 'apps/api/src/plugins/app/deadline.ts',
        text: "import { x } from '../../labs/timeout.js';\nif (app.labs.mode('timeout') === 'naive') {}",
      },
      {
        path: 'apps/web/src/api/client.ts',
        text: "const m = await import('../labs/install-labs');\nlet mode: LabMode;",
      },
      { path: 'apps/web/src/pages/A.vue', text: "import { LAB_IDS } from '@tandem/contract/labs';" },
      { path: 'apps/api/src/plugins/app/reports-repository.ts', text: 'WHERE (SELECT pg_sleep($1)) IS NOT NULL' },
      {
        path: 'apps/api/src/plugins/app/rate-limit.ts',
        text: 'LAB_MODE_TIMEOUT: mode,\n// #region labs\n// #endregion labs',
      },
    ]);
    expect(found.map(({ path, line, rule }) => `${path}:${line} ${rule}`)).toEqual([
      'apps/api/src/plugins/app/deadline.ts:1 imports the lab layer',
      'apps/api/src/plugins/app/deadline.ts:2 asks a lab switch',
      'apps/web/src/api/client.ts:1 imports the lab layer',
      'apps/web/src/api/client.ts:2 names a lab type or constant',
      'apps/web/src/pages/A.vue:1 imports the lab layer',
      'apps/web/src/pages/A.vue:1 names a lab type or constant',
      'apps/api/src/plugins/app/reports-repository.ts:1 holds lab SQL',
      'apps/api/src/plugins/app/rate-limit.ts:0 carries lab markers outside a composition root',
      'apps/api/src/plugins/app/rate-limit.ts:1 names a lab type or constant',
    ]);
  });

  it('lets a composition root name the lab layer inside its markers only', () => {
    const app = [
      "import { labLayer } from './labs/index.js'; // #labs",
      '// #region labs',
      'if (config.labs) await app.register(labLayer, config.labs);',
      '// #endregion labs',
      "import { other } from './labs/other.js';",
    ].join('\n');
    const found = findLabReferences([{ path: 'apps/api/src/app.ts', text: app }]);
    expect(found).toEqual([
      {
        path: 'apps/api/src/app.ts',
        line: 5,
        rule: 'imports the lab layer',
        text: "import { other } from './labs/other.js';",
      },
    ]);
  });

  it('leaves the lab layer, the workshop packages and non-source files alone', () => {
    expect(isCore('apps/api/src/labs/index.ts')).toBe(false);
    expect(isCore('apps/web/src/labs/LabsPage.vue')).toBe(false);
    expect(isCore('packages/contract/src/labs/catalogue.ts')).toBe(false);
    expect(isCore('labs/src/timeout/measure.ts')).toBe(false);
    expect(isCore('apps/api/README.md')).toBe(false);
    expect(isCore('apps/api/src/plugins/app/deadline.ts')).toBe(true);
    expect(isCore('apps/web/src/composables/useNow.ts')).toBe(true);
  });
});

describe('this repository', () => {
  it('has no core file that reaches the lab layer', () => {
    const paths = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(isCore);
    expect(paths.length).toBeGreaterThan(100);
    const files = paths.map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
    const found = findLabReferences(files).map(({ path, line, rule, text }) => `${path}:${line} ${rule}: ${text}`);
    expect(found).toEqual([]);
  });
});
