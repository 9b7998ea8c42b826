import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from './process-alive.js';
import { repoRoot, tsxBin, webDir } from './repo-paths.js';
import { ServerProcess } from './server-process.js';
import { webSourcesHash } from './web-sources-hash.js';

/** Where finished builds are kept, one folder per source state (web-sources-hash.ts). */
export const webBuildCacheDir = join(repoRoot, 'node_modules', '.cache', 'tandem-web');

/** The builds kept besides the one in use: enough for a few branches, not a growing pile. */
const KEEP_BUILDS = 3;
/** A build used this recently is never pruned: a server may be serving it. */
const IN_USE_MS = 60 * 60 * 1000;
/** How long a run waits for another process's build of the same sources. */
const WAIT_FOR_OTHER_BUILD_MS = 5 * 60 * 1000;

export interface WebBuild {
  /** The build's folder (index.html, assets/ with .br and .gz beside each file): read it, never write to it. */
  distDir: string;
  /** False when this call ran the build; true when it found one (or another process made it). */
  reused: boolean;
  /** What the build printed (Vite at info level: its chunks and the initial JS budget line). */
  output(): string;
}

/** The build's printed output, kept beside its folder (not inside: the server serves that). */
const outputFileOf = (distDir: string) => `${distDir}.build.log`;
const buildOf = (distDir: string, reused: boolean): WebBuild => ({
  distDir,
  reused,
  output: () => (existsSync(outputFileOf(distDir)) ? readFileSync(outputFileOf(distDir), 'utf8') : ''),
});

/**
 * The SPA's production build of the current sources, made at most once per source state:
 * looked up in the cache by the hash of the build's inputs; when missing, built into a
 * temporary folder and renamed into place (a reader never sees half a build). One process
 * builds while the others wait for it (a lock file holding its pid; a lock whose process
 * died is taken over). The build holds no setting of a run: the web server adds them.
 */
export async function ensureWebBuild(cacheDir = webBuildCacheDir): Promise<WebBuild> {
  const hash = webSourcesHash();
  const distDir = join(cacheDir, hash);
  const lock = join(cacheDir, `${hash}.lock`);
  mkdirSync(cacheDir, { recursive: true });
  const deadline = Date.now() + WAIT_FOR_OTHER_BUILD_MS;
  let waited = false;
  for (;;) {
    if (isComplete(distDir)) {
      markUsed(distDir);
      return buildOf(distDir, true);
    }
    if (takeLock(lock)) {
      try {
        if (isComplete(distDir)) return buildOf(distDir, waited);
        await buildInto(cacheDir, distDir);
        prune(cacheDir, distDir);
        return buildOf(distDir, false);
      } finally {
        rmSync(lock, { force: true });
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`waited ${WAIT_FOR_OTHER_BUILD_MS / 1000} s for another build of the SPA (${lock})`);
    }
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, 250));
    releaseIfOrphaned(lock);
  }
}

function isComplete(distDir: string): boolean {
  return existsSync(join(distDir, 'index.html'));
}

function takeLock(lock: string): boolean {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** A lock left by a process that no longer exists (killed mid-build) is nobody's. */
function releaseIfOrphaned(lock: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8'));
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) rmSync(lock, { force: true });
}

/** Vite as the web package's `vite` script runs it (config through tsx, the contract from source), into a temp folder first. */
async function buildInto(cacheDir: string, distDir: string): Promise<void> {
  const building = join(cacheDir, `.building-${process.pid}-${Date.now()}`);
  const logFile = `${building}.log`;
  try {
    await ServerProcess.start({
      name: 'web build',
      command: tsxBin,
      args: [
        '--conditions=@tandem/source',
        'node_modules/vite/bin/vite.js',
        '--configLoader',
        'native',
        'build',
        '--outDir',
        building,
        '--emptyOutDir',
        '--logLevel',
        'info',
      ],
      cwd: webDir,
      // A production build whoever asks: vitest sets NODE_ENV=test, which Vite would keep
      // (and Vue's development branches with it).
      env: { ...process.env, FORCE_COLOR: '0', NODE_ENV: 'production' },
      logFile,
    }).succeeded();
    renameSync(logFile, outputFileOf(distDir));
    renameSync(building, distDir);
  } finally {
    rmSync(building, { recursive: true, force: true });
    rmSync(logFile, { force: true });
  }
}

function markUsed(distDir: string): void {
  const now = new Date();
  try {
    utimesSync(distDir, now, now);
  } catch {
    // pruned by another process this instant: the next look-up builds it again
  }
}

/**
 * Removes old builds beyond the KEEP_BUILDS most recently used, never one used within
 * IN_USE_MS, and what a build killed midway left behind.
 */
function prune(cacheDir: string, current: string): void {
  const entries = readdirSync(cacheDir, { withFileTypes: true });
  for (const entry of entries.filter((candidate) => candidate.name.startsWith('.building-'))) {
    const path = join(cacheDir, entry.name);
    if (Date.now() - statSync(path).mtimeMs > IN_USE_MS) rmSync(path, { recursive: true, force: true });
  }
  const builds = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => join(cacheDir, entry.name))
    .filter((dir) => dir !== current)
    .map((dir) => ({ dir, usedAt: statSync(dir).mtimeMs }))
    .sort((a, b) => b.usedAt - a.usedAt);
  for (const { dir, usedAt } of builds.slice(KEEP_BUILDS)) {
    if (Date.now() - usedAt > IN_USE_MS) {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outputFileOf(dir), { force: true });
    }
  }
}
