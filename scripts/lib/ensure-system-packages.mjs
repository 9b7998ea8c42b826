// Installs the Debian packages the full test suite drives for real (a browser, a
// PostgreSQL server, …) when they are missing: directly as root, through sudo otherwise.
import { existsSync, readdirSync } from 'node:fs';
import { readCommand, runCommand } from './run-command.mjs';

/** What each package provides, checked before anything is installed. */
export const SYSTEM_PACKAGES = [
  { name: 'chromium', why: 'end-to-end tests in a real browser', present: () => existsSync('/usr/bin/chromium') },
  { name: 'postgresql', why: 'repository tests on a real PostgreSQL server', present: () => postgresBinDir() !== null },
  {
    name: 'prometheus',
    why: 'observability tests against a real Prometheus (promtool included)',
    present: () => existsSync('/usr/bin/promtool'),
  },
  {
    name: 'nghttp2-client',
    why: 'HTTP/2 and HTTP/1.1 load in the benchmarks (h2load)',
    present: () => existsSync('/usr/bin/h2load'),
  },
  {
    name: 'redis-server',
    why: 'the rate limiter shared by several API processes (Redis store tests)',
    present: () => existsSync('/usr/bin/redis-server'),
  },
  {
    name: 'haproxy',
    why: 'the load balancer in front of several API replicas (the edge suite, npm run demo -- --replicas N)',
    present: () => existsSync('/usr/sbin/haproxy'),
  },
  {
    name: 'docker-compose',
    why: 'validating docker-compose.yml',
    present: () => existsSync('/usr/bin/docker-compose'),
  },
];

/** The newest installed PostgreSQL server's bin folder (Debian layout), or null. */
export function postgresBinDir() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(`${root}/${name}/bin/initdb`))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? `${root}/${versions[0]}/bin` : null;
}

/** @returns {Promise<boolean>} true when every package is present afterwards */
export async function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((pkg) => !pkg.present());
  if (missing.length === 0) return true;

  const names = missing.map((pkg) => pkg.name);
  for (const pkg of missing) console.log(`› missing ${pkg.name} (${pkg.why})`);
  if (!existsSync('/usr/bin/apt-get')) {
    console.error(`Install these with your system's package manager, then run again: ${names.join(' ')}`);
    return false;
  }
  const asRoot = process.getuid?.() === 0;
  const sudo = asRoot ? [] : (await readCommand('sudo', ['-n', 'true'])) !== null ? ['sudo', '-n'] : null;
  if (sudo === null) {
    console.error(`Run once, then again: sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`);
    return false;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = async (/** @type {string[]} */ args) =>
    sudo.length
      ? runCommand(sudo[0], [...sudo.slice(1), 'apt-get', ...args], { env })
      : runCommand('apt-get', args, { env });
  console.log(`› apt-get install ${names.join(' ')}`);
  if ((await apt(['update', '-qq'])) !== 0) return false;
  if ((await apt(['install', '-y', '-qq', ...names])) !== 0) return false;
  return SYSTEM_PACKAGES.every((pkg) => pkg.present());
}
