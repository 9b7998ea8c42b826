import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './repo-paths.js';

/**
 * What a production build of the SPA is made from: the web app's sources and build config,
 * the contract's, and the installed dependencies (the lockfile). Folders that never reach
 * the bundle (tests, the production server, build output) are left out, so editing them
 * reuses the build.
 */
const BUILD_INPUTS: readonly { dir: string; skip: readonly string[] }[] = [
  {
    dir: 'apps/web',
    skip: ['node_modules', 'dist', 'dist-server', 'e2e', 'server', 'test', 'test-results', 'playwright-report'],
  },
  { dir: 'packages/contract', skip: ['node_modules', 'dist'] },
];
const BUILD_INPUT_FILES = ['pnpm-lock.yaml', 'tsconfig.base.json'];
/** Files inside those folders that are not part of a build. */
const NOT_BUILT = /(?:\.test\.ts|\.md|^playwright\.config\.ts|^vitest\.config\.ts)$/;

/**
 * A hash of the SPA's build inputs (paths and contents): the same hash, the same build.
 * The web build cache (web-build.ts) names its folders with it.
 */
export function webSourcesHash(root = repoRoot): string {
  const hash = createHash('sha256');
  const files = [
    ...BUILD_INPUTS.flatMap(({ dir, skip }) => filesUnder(join(root, dir), new Set(skip))),
    ...BUILD_INPUT_FILES.map((file) => join(root, file)),
  ];
  for (const file of files.map((path) => relative(root, path).replaceAll('\\', '/')).sort()) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(root, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 20);
}

function filesUnder(dir: string, skip: ReadonlySet<string>): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path, new Set()));
    else if (entry.isFile() && !NOT_BUILT.test(entry.name)) files.push(path);
  }
  return files;
}
