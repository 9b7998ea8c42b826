import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:https';

export interface ServerProcessOptions {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where stdout and stderr go; its tail is shown when the process fails. */
  logFile: string;
}

/**
 * A child process in its own process group, so stopping it by its pid also stops what
 * it started (tsx runs the real server as a child of its own).
 */
export class ServerProcess {
  readonly name: string;
  readonly logFile: string;
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(options: ServerProcessOptions) {
    this.name = options.name;
    this.logFile = options.logFile;
    const log = openSync(options.logFile, 'a');
    this.child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
    // Its own process group does not get the terminal's Ctrl-C; if the runner exits
    // without a teardown, take the group down with it.
    const pid = this.child.pid;
    const killOnExit = () => pid !== undefined && signalGroup(pid, 'SIGKILL');
    process.once('exit', killOnExit);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        process.off('exit', killOnExit);
        this.exitCode = code;
        resolve(code);
      });
      this.child.once('error', (error) => {
        this.exitCode = -1;
        resolve(-1);
        console.error(`${this.name}: ${error.message}`);
      });
    });
  }

  static start(options: ServerProcessOptions): ServerProcess {
    return new ServerProcess(options);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves with the exit code; rejects, with the log's tail, when it is not 0. */
  async succeeded(): Promise<void> {
    const code = await this.exited;
    if (code !== 0) throw new Error(`${this.name} exited with ${code}\n${this.logTail()}`);
  }

  /** Polls `url` until it answers 200; fails early if the process dies first. */
  async waitUntilReady(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitCode !== undefined) {
        throw new Error(`${this.name} exited with ${this.exitCode} before ${url} was ready\n${this.logTail()}`);
      }
      if ((await statusOf(url)) === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${this.name}: ${url} was not ready within ${timeoutMs / 1000} s\n${this.logTail()}`);
  }

  /**
   * `signal` (SIGTERM unless told) to the process group, SIGKILL if it is still there after
   * `graceMs`; resolves once it has exited. `SIGKILL` at once is a crash (`kill -9`).
   */
  async stop(graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || this.exitCode !== undefined) return;
    signalGroup(pid, signal);
    const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, graceMs, 'timeout'));
    if ((await Promise.race([this.exited, timer])) === 'timeout') {
      signalGroup(pid, 'SIGKILL');
      await this.exited;
    }
  }

  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** The status of a GET over TLS (the dev certificate is self-signed), or 0 for no answer. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', rejectUnauthorized: false, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}
