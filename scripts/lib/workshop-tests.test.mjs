import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { workshopTestFiles } from './workshop-tests.mjs';

const dir = mkdtempSync(join(tmpdir(), 'tandem-workshop-tests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('workshopTestFiles', () => {
  it("lists the tests under a package's workshop folders, per runner, and none of the product's", () => {
    for (const path of [
      'apps/api/src/labs/timeout.test.ts',
      'apps/api/src/labs/timeout.ts',
      'apps/api/src/labs/deep/more.postgres.test.ts',
      'apps/api/src/routes/orders.test.ts',
      'apps/web/src/labs/seams.test.ts',
      'apps/web/e2e/labs/leaks.spec.ts',
      'apps/web/e2e/orders.spec.ts',
      'apps/web/src/labs/node_modules/x/y.test.ts',
    ]) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), '');
    }
    expect(workshopTestFiles(dir, 'apps/api', 'vitest')).toEqual([
      'src/labs/deep/more.postgres.test.ts',
      'src/labs/timeout.test.ts',
    ]);
    expect(workshopTestFiles(dir, 'apps/web', 'vitest')).toEqual(['src/labs/seams.test.ts']);
    expect(workshopTestFiles(dir, 'apps/web', 'playwright')).toEqual(['e2e/labs/leaks.spec.ts']);
    expect(workshopTestFiles(dir, 'packages/dev-cert', 'vitest')).toEqual([]);
  });

  it('finds the lab layers’ tests in this repository', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    expect(workshopTestFiles(root, 'apps/api', 'vitest')).toContain('src/labs/lab-layer.test.ts');
    expect(workshopTestFiles(root, 'apps/web', 'playwright')).toContain('e2e/labs/lab-layer.spec.ts');
  });
});
