import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@tandem/local-stack';

/**
 * The servers' folder every lab run shares (`.data/labs/servers`, git-ignored): the
 * embedded database is created once (~15 s) and reopened by later runs (~2 s).
 */
export function labWorkDir(): string {
  const dir = join(repoRoot, '.data', 'labs', 'servers');
  mkdirSync(dir, { recursive: true });
  return dir;
}
