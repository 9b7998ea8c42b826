import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repo-paths.js';

/**
 * Formats a Markdown file the way `pnpm lint` expects (Biome), so a page a script
 * rewrote — a lab's measured table, a benchmark block — passes the lint unchanged.
 */
export function formatMarkdownFile(file: string): void {
  const biome = join(repoRoot, 'node_modules', '.bin', 'biome');
  const result = spawnSync(biome, ['format', '--write', file], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`biome format ${file} failed:\n${result.stderr || result.stdout}`);
}
