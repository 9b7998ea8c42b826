import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './free-ports.js';

export interface StartPostgresOptions {
  /** Pin the server (and every backend it forks) to these CPUs (`taskset -c`), e.g. '0'. */
  cpuList?: string;
}

export interface RunningPostgres {
  /** Superuser URL (`postgres` database, no password: trust on loopback). */
  adminUrl: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): string;
  /** Stops the server (fast shutdown) and removes its files. */
  stop(): void;
}

const SEARCHED = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

function findBinDir(): string {
  const candidates = process.env.PG_BIN_DIR ? [process.env.PG_BIN_DIR] : SEARCHED;
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      `PostgreSQL server binaries (initdb, pg_ctl) not found in ${candidates.join(', ')}. ` +
        'Install them with `sudo apt-get install postgresql` (or set PG_BIN_DIR). ' +
        'The database tests and benchmarks need a real server and do not skip without one.',
    );
  }
  return found;
}

/** initdb refuses to run as root: as root, run the server tools as the `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function run(command: string, args: string[]): void {
  const [file, argv] = asServerUser(command, args);
  const result = spawnSync(file, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

/**
 * A throwaway PostgreSQL server (15–17 from Debian's packages) on a free loopback port,
 * in a temporary folder, tuned for tests rather than durability (fsync off). Missing
 * binaries throw with the install hint: never a silent skip.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  const binDir = findBinDir();
  const root = mkdtempSync(join(tmpdir(), 'tandem-postgres-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  run(join(binDir, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-locale',
    '--no-sync',
  ]);

  const pgCtl = join(binDir, 'pg_ctl');
  // The port is free when probed; if another process takes it first, pick again.
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    [port = 0] = await freePorts(1, '127.0.0.1');
    const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    const startArgs = ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '30', 'start'];
    try {
      if (options.cpuList) run('taskset', ['-c', options.cpuList, pgCtl, ...startArgs]);
      else run(pgCtl, startArgs);
      break;
    } catch (error) {
      if (attempt >= 3) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        rmSync(root, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
      }
    }
  }

  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlOf('postgres'),
    createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
      run(join(binDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
      return urlOf(name);
    },
    stop() {
      try {
        run(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
