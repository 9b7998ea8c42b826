// Which test files of a package are the workshop's. `npm test` runs the product's suites once,
// in the stripped copy (the template suite); the full tree then runs only these, the tests
// the strip removes, so every test runs once and each where it means something.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WORKSHOP_PATHS } from './workshop-files.mjs';

const TEST_FILE = { vitest: /\.test\.m?[jt]s$/, playwright: /\.spec\.ts$/ };

/**
 * The workshop's test files of one package, relative to it, for one runner.
 * @param {string} root the repository
 * @param {string} packageDir repository-relative, forward slashes (e.g. `apps/api`)
 * @param {'vitest' | 'playwright'} runner
 * @returns {string[]} sorted; empty when the package holds none
 */
export function workshopTestFiles(root, packageDir, runner) {
  const prefix = `${packageDir}/`;
  /** @type {string[]} */
  const files = [];
  for (const entry of WORKSHOP_PATHS) {
    if (!entry.startsWith(prefix)) continue;
    const path = join(root, entry);
    if (!existsSync(path)) continue;
    const candidates = entry.endsWith('/') ? walk(path) : [path];
    for (const file of candidates) {
      if (TEST_FILE[runner].test(file)) files.push(relative(join(root, packageDir), file).split('\\').join('/'));
    }
  }
  return files.sort();
}

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
