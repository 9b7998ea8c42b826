import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from './process-alive.js';
import { apiDir } from './repo-paths.js';

const TSX_LOADER = pathToFileURL(join(apiDir, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

const dir = mkdtempSync(join(tmpdir(), 'tandem-exit-on-signals-'));
const commands: ChildProcess[] = [];
const logFiles: string[] = [];
// Whatever a test left running, even one that failed before it read a pid: the commands
// (SIGTERM: a handled one stops its server too), and each server's group by the pid in its log.
afterAll(() => {
  for (const command of commands) if (command.exitCode === null && command.signalCode === null) command.kill('SIGTERM');
  for (const logFile of logFiles) {
    const pid = readServerPid(logFile);
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The pid the idle server wrote as its log's first line, once it has. */
function readServerPid(logFile: string): number | undefined {
  if (!existsSync(logFile)) return undefined;
  const pid = Number(stripVTControlCharacters(readFileSync(logFile, 'utf8')).split('\n')[0]?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
  return condition();
}

/** Runs the fixture command, waits for its server, sends SIGINT as Ctrl-C would; the command's exit code and the server's pid. */
async function interrupt(
  mode: 'handled' | 'unhandled',
): Promise<{ code: number | null; signal: string | null; serverPid: number }> {
  const logFile = join(dir, `${mode}.log`);
  // Plain Node with tsx's loader only: the tsx command would add a SIGINT handler of its own
  // to the script once its IPC channel is up, which makes the unhandled case a race.
  const command: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@tandem/source', '--import', TSX_LOADER, 'src/exit-on-signals-fixture.ts', logFile, mode],
    { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  commands.push(command);
  logFiles.push(logFile);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    command.once('exit', (code, signal) => resolve({ code, signal })),
  );
  expect(await until(() => readServerPid(logFile) !== undefined, 15_000)).toBe(true);
  const serverPid = readServerPid(logFile) ?? 0;
  command.kill('SIGINT');
  return { ...(await exited), serverPid };
}

describe('exitOnSignals', () => {
  it("Ctrl-C ends the command with 130 and takes its servers' process groups down", { timeout: 30_000 }, async () => {
    const { code, serverPid } = await interrupt('handled');
    expect(code).toBe(130);
    expect(await until(() => !isProcessAlive(serverPid), 5_000)).toBe(true);
  });

  it('without it, the command dies of the signal and its detached server lives on', { timeout: 30_000 }, async () => {
    const { code, signal, serverPid } = await interrupt('unhandled');
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGINT' });
    // Given the same time as above to go, it is still there.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(isProcessAlive(serverPid)).toBe(true);
  });
});
