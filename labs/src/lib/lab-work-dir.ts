import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive, repoRoot } from '@tandem/local-stack';

/** The file in the shared folder naming the process that uses it. */
export const LOCK_FILE = 'in-use.pid';

/**
 * The servers' folder of this lab run. Lab runs share `.data/labs/servers` (git-ignored):
 * the embedded database is created there once (~15 s) and reopened by later runs (~2 s).
 * Two processes must never open one PGlite folder at once (its pages get corrupted), so a
 * run claims the folder for its lifetime; while another live process holds it, this run
 * gets a folder of its own, emptied when it exits, and says so.
 */
export function labWorkDir(log: (line: string) => void = console.log): string {
  return claimWorkDir(join(repoRoot, '.data', 'labs'), log);
}

/** labWorkDir under `root`: `<root>/servers` when free (or held by a process that is gone), else a private `<root>/servers-*`. */
export function claimWorkDir(root: string, log: (line: string) => void): string {
  const shared = join(root, 'servers');
  mkdirSync(shared, { recursive: true });
  const holder = claim(join(shared, LOCK_FILE));
  if (holder === undefined) return shared;
  const own = mkdtempSync(join(root, 'servers-'));
  process.once('exit', () => {
    try {
      rmSync(own, { recursive: true, force: true });
    } catch {
      // A server still writing into it as the run is interrupted: the folder stays (git-ignored).
    }
  });
  log(
    `The shared lab folder ${shared} is in use by process ${holder} (another lab run): this run uses ${own}, a fresh embedded database (~15 s more), removed when it ends.`,
  );
  return own;
}

/** Takes the lock file for this process; answers the pid of the live process holding it otherwise. */
function claim(lockFile: string): number | undefined {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      process.once('exit', () => release(lockFile));
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(lockFile, 'utf8').trim());
    if (holder === process.pid) return undefined;
    if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) return holder;
    // Left by a run that ended without removing it (killed): take it over.
    rmSync(lockFile, { force: true });
  }
  throw new Error(`could not claim ${lockFile}: other runs keep taking it`);
}

function release(lockFile: string): void {
  try {
    if (Number(readFileSync(lockFile, 'utf8').trim()) === process.pid) rmSync(lockFile, { force: true });
  } catch {
    // Gone already.
  }
}
