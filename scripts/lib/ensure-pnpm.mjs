// Makes sure pnpm 12 is on the PATH (the workspace's package manager) and returns how to
// call it. Installs it with npm when missing; corepack is not used (it fails on pnpm 12).
import { readCommand, runCommand } from './run-command.mjs';

const PNPM_MAJOR = 12;

/** @returns {Promise<{ command: string, prefix: string[] }>} */
export async function ensurePnpm() {
  const version = await readCommand('pnpm', ['--version']);
  if (version && Number(version.split('.')[0]) >= PNPM_MAJOR) return { command: 'pnpm', prefix: [] };

  console.log(`› installing pnpm@${PNPM_MAJOR} with npm (found: ${version ?? 'none'})`);
  const code = await runCommand('npm', ['install', '--global', '--no-fund', '--no-audit', `pnpm@${PNPM_MAJOR}`]);
  if (code === 0 && (await readCommand('pnpm', ['--version']))) return { command: 'pnpm', prefix: [] };

  // No write access to npm's global folder: run pnpm through npx instead.
  console.log(`› npm could not install pnpm globally; using npx pnpm@${PNPM_MAJOR}`);
  return { command: 'npx', prefix: ['--yes', `pnpm@${PNPM_MAJOR}`] };
}
