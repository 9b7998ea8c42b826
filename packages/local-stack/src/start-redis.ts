import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePorts } from './free-ports.js';
import { isProcessAlive } from './process-alive.js';
import { ServerProcess } from './server-process.js';

export interface StartRedisOptions {
  /** Where its log goes (`redis.log`). */
  workDir: string;
  /** This port (a Redis stopped by a test, started again where its clients look for it); unset: a free one. */
  port?: number;
  /** Pin the server to these CPUs (`taskset -c`), e.g. '1'. */
  cpuList?: string;
  /**
   * Redis Cluster mode, one node holding all 16,384 hash slots: a cluster's rules (a script's
   * or a command's keys in one slot, or CROSSSLOT) on a single process.
   */
  cluster?: boolean;
}

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>`, for REDIS_URL. */
  url: string;
  port: number;
  process: ServerProcess;
  stop(): Promise<void>;
}

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

/**
 * A throwaway redis-server (Debian's) on a free loopback port, with no persistence (no
 * RDB snapshots, no AOF), in the foreground; stopped by its pid. A missing binary throws
 * with the install hint: never a silent skip.
 */
export async function startRedis(options: StartRedisOptions): Promise<RunningRedis> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(
      `${REDIS_SERVER} not found. Install it with \`sudo apt-get install redis-server\` (or set REDIS_SERVER_BIN).`,
    );
  }
  // The port is free when probed; if another process takes it first, pick again.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePorts(1, '127.0.0.1'))[0] ?? 0;
    const redis = ServerProcess.start({
      name: 'redis-server',
      command: options.cpuList ? 'taskset' : REDIS_SERVER,
      args: [
        ...(options.cpuList ? ['-c', options.cpuList, REDIS_SERVER] : []),
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        ...(options.cluster
          ? ['--cluster-enabled', 'yes', '--cluster-config-file', join(options.workDir, `nodes-${port}.conf`)]
          : []),
      ],
      cwd: options.workDir,
      env: process.env,
      logFile: join(options.workDir, 'redis.log'),
    });
    try {
      await waitForPong(redis, port);
      if (options.cluster) await takeEverySlot(redis, port);
      return { url: `redis://127.0.0.1:${port}`, port, process: redis, stop: () => redis.stop() };
    } catch (error) {
      await redis.stop();
      if (attempt >= 3) throw error;
    }
  }
}

async function waitForPong(redis: ServerProcess, port: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (redis.pid === undefined || !isProcessAlive(redis.pid)) {
      throw new Error(`redis-server exited before it answered PING on ${port}\n${redis.logTail()}`);
    }
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not answer PING on ${port} within 15 s\n${redis.logTail()}`);
}

/** A cluster of one: this node takes every hash slot, then serves once the cluster says `ok`. */
async function takeEverySlot(redis: ServerProcess, port: number): Promise<void> {
  const added = await command(port, 'CLUSTER ADDSLOTSRANGE 0 16383');
  if (!added?.startsWith('+OK')) throw new Error(`CLUSTER ADDSLOTSRANGE on ${port}: ${added}\n${redis.logTail()}`);
  const deadline = Date.now() + 15_000;
  while (!(await command(port, 'CLUSTER INFO'))?.includes('cluster_state:ok')) {
    if (Date.now() > deadline) throw new Error(`the cluster on ${port} is not ok within 15 s\n${redis.logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether a PING on a fresh connection gets PONG. */
async function answersPing(port: number): Promise<boolean> {
  return (await command(port, 'PING'))?.startsWith('+PONG') ?? false;
}

/** One inline command on a fresh connection: the first chunk of its answer, or undefined if it could not be sent. */
function command(port: number, line: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (answer: string | undefined) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('error', () => done(undefined));
    socket.once('connect', () => socket.write(`${line}\r\n`));
    socket.once('data', (data) => done(data.toString()));
  });
}
