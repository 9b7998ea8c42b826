// Runs a command with its output streamed, and resolves with its exit code.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, quiet?: boolean, logFile?: string }} [options]
 *   `logFile`: its output (stdout and stderr) is appended to that file instead
 * @returns {Promise<number>}
 */
export function runCommand(command, args, options = {}) {
  return new Promise((resolve) => {
    const log = options.logFile ? openSync(options.logFile, 'a') : undefined;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: log !== undefined ? ['ignore', log, log] : options.quiet ? 'ignore' : 'inherit',
    });
    const done = (/** @type {number} */ code) => {
      if (log !== undefined) closeSync(log);
      resolve(code);
    };
    child.on('error', () => done(127));
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Runs a command and returns its trimmed stdout, or null when it fails to start or exits non-zero.
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<string | null>}
 */
export function readCommand(command, args) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code === 0 ? out.trim() : null));
  });
}
