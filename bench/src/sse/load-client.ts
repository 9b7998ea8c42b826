// The parent's handle on sse-load-client.ts: a forked child (on CPU 1 with two or more cores)
// that holds many SSE streams on one origin and counts what arrives.
import { type ChildProcess, fork } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

/** With two or more cores, the load client runs on CPU 1 (`taskset`), the servers on CPU 0. */
const PIN = cpus().length >= 2;
const CLIENT = fileURLToPath(new URL('./sse-load-client.ts', import.meta.url));

/** What the client counted since its last snapshot (`delays`, in ms) and in all (`events`). */
export interface Snapshot {
  events: number;
  openStreams: number;
  failedStreams: number;
  delays: number[];
}

export class LoadClient {
  private constructor(private readonly child: ChildProcess) {}

  static async start(options: {
    origin: string;
    cookie: string;
    connections: number;
    streamsPerConnection: number;
    measureDelay: boolean;
  }) {
    const child = fork(CLIENT, [JSON.stringify(options)], {
      ...(PIN ? { execPath: 'taskset', execArgv: ['-c', '1', process.execPath, ...process.execArgv] } : {}),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`load client exited with ${code}`)));
    });
    return new LoadClient(child);
  }

  snapshot(): Promise<Snapshot> {
    return new Promise((resolve) => {
      this.child.once('message', (message) => resolve(message as Snapshot));
      this.child.send({ cmd: 'snapshot' });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ cmd: 'stop' });
    await exited;
  }
}
