import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/** A child process whose stdout and stderr are kept, as one text, for a test to read. */
export interface CapturedProcess {
  child: ChildProcess;
  /** Everything it has written so far, stdout and stderr interleaved as they arrived. */
  output(): string;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /**
   * Resolves with the first match of `pattern` in its output; rejects when it exits first
   * or `timeoutMs` passes, with the output so far in the message.
   */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  waitForOutput(text: string, timeoutMs?: number): Promise<string>;
}

/**
 * Spawns a process with its output captured: how the tests of a server's entry point
 * (server.ts, signal handling) run the real thing — signals and exit codes need a process
 * of their own. The caller stops it (by its pid, `child.kill`).
 */
export function spawnCaptured(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'stdio'> = {},
): CapturedProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  async function waitForOutput(pattern: RegExp | string, timeoutMs = 30_000): Promise<RegExpMatchArray | string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = typeof pattern === 'string' ? (output.includes(pattern) ? pattern : null) : output.match(pattern);
      if (match) return match;
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`exited (${child.exitCode ?? child.signalCode}) before ${String(pattern)}:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no ${String(pattern)} in ${timeoutMs} ms of output:\n${output}`);
  }

  return { child, output: () => output, exited, waitForOutput: waitForOutput as CapturedProcess['waitForOutput'] };
}
