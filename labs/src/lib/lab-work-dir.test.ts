import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimWorkDir, LOCK_FILE } from './lab-work-dir.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

/** A labs root whose shared folder's lock names `pid`. */
function rootHeldBy(pid: number): string {
  const root = mkdtempSync(join(tmpdir(), 'lab-work-dir-'));
  mkdirSync(join(root, 'servers'));
  writeFileSync(join(root, 'servers', LOCK_FILE), String(pid));
  return root;
}

describe('claimWorkDir', () => {
  it('gives the shared folder when it is free, and names this process in its lock', () => {
    const root = mkdtempSync(join(tmpdir(), 'lab-work-dir-'));
    const lines: string[] = [];
    expect(claimWorkDir(root, (line) => lines.push(line))).toBe(join(root, 'servers'));
    expect(readFileSync(join(root, 'servers', LOCK_FILE), 'utf8')).toBe(String(process.pid));
    // The same process again (a test file after another in one worker): still the shared folder.
    expect(claimWorkDir(root, (line) => lines.push(line))).toBe(join(root, 'servers'));
    expect(lines).toEqual([]);
  });

  it('gives a private folder, and says why, while another live process holds the shared one', () => {
    const holder = spawn('sleep', ['30']);
    children.push(holder);
    const root = rootHeldBy(holder.pid ?? 0);
    const lines: string[] = [];
    const dir = claimWorkDir(root, (line) => lines.push(line));
    expect(dir).not.toBe(join(root, 'servers'));
    expect(dirname(dir)).toBe(root);
    expect(existsSync(dir)).toBe(true);
    expect(lines.join('\n')).toContain(`in use by process ${holder.pid}`);
    // The holder keeps its lock.
    expect(readFileSync(join(root, 'servers', LOCK_FILE), 'utf8')).toBe(String(holder.pid));
  });

  it('takes over a lock left by a process that is gone', async () => {
    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    const root = rootHeldBy(gone.pid ?? 0);
    expect(claimWorkDir(root, () => {})).toBe(join(root, 'servers'));
    expect(readFileSync(join(root, 'servers', LOCK_FILE), 'utf8')).toBe(String(process.pid));
  });
});
