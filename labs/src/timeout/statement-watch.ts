import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** One statement seen in pg_stat_activity, times in ms since the epoch (the server's clock: this machine's). */
export interface WatchedStatement {
  pid: number;
  startedAt: number;
  /** When it stopped: `state_change` once the backend went idle (exact); else the last poll that saw it run. */
  endedAt: number | undefined;
  /** False when the backend was not seen idle after it (its connection closed or ran something else first). */
  endExact: boolean;
  lastSeenActiveAt: number;
}

export interface StatementWatchOptions {
  /** A database URL to poll from (its own connection, not the API's pool). */
  url: string;
  /** Text the watched statements contain (no single quote in it). */
  marker: string;
  /** Pause between polls; each poll waits for the previous answer. */
  intervalMs: number;
}

const TICK = 'tick';

/**
 * Watches statements in PostgreSQL from outside the API: one `psql` process on its own
 * connection polls pg_stat_activity every few ms for backends running a statement that
 * contains `marker`, and records when each started and ended. A statement's end is the
 * backend's `state_change` when it is seen idle afterwards (exact to the microsecond,
 * whatever the poll interval), so a cancelled statement and one that ran to completion
 * are timed the same way.
 */
export class StatementWatch {
  readonly statements: WatchedStatement[] = [];
  /** The statement each backend (by pid) is running, until it is seen to stop. */
  private readonly open = new Map<string, WatchedStatement>();
  polls = 0;
  private buffer = '';
  private seenThisPoll = new Set<string>();
  private waiting: (() => void) | undefined;
  private stopped = false;
  private readonly loop: Promise<void>;

  private constructor(
    private readonly psql: ChildProcessWithoutNullStreams,
    private readonly options: StatementWatchOptions,
  ) {
    psql.stdout.setEncoding('utf8');
    psql.stdout.on('data', (chunk: string) => this.read(chunk));
    this.loop = this.poll();
  }

  static start(options: StatementWatchOptions): StatementWatch {
    if (options.marker.includes("'")) throw new Error(`The marker must not contain a quote: ${options.marker}`);
    const psql = spawn('psql', ['-X', '-A', '-t', '-q', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', options.url], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    psql.stderr.setEncoding('utf8');
    psql.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    psql.on('exit', (code) => {
      if (code) process.stderr.write(`psql (statement watch) exited ${code}: ${stderr}\n`);
    });
    return new StatementWatch(psql, options);
  }

  /** Statements that started at or after `since` (ms since the epoch), oldest first. */
  startedSince(since: number): WatchedStatement[] {
    return this.statements.filter((s) => s.startedAt >= since).sort((a, b) => a.startedAt - b.startedAt);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting?.();
    await this.loop;
    this.psql.stdin.end();
    this.psql.kill();
  }

  private query(): string {
    const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;
    return (
      `SELECT pid, ${ms('query_start')}, state, ${ms('state_change')}, ${ms('clock_timestamp()')} ` +
      `FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend' ` +
      `AND strpos(query, '${this.options.marker}') > 0 ` +
      `UNION ALL SELECT NULL, NULL, '${TICK}', NULL, ${ms('clock_timestamp()')};\n`
    );
  }

  private async poll(): Promise<void> {
    const sql = this.query();
    while (!this.stopped && this.psql.exitCode === null) {
      const answered = new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
      this.psql.stdin.write(sql);
      await answered;
      await new Promise((resolve) => setTimeout(resolve, this.options.intervalMs));
    }
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.row(line.split('|'));
      newline = this.buffer.indexOf('\n');
    }
  }

  private row([pid, queryStart, state, stateChange, now]: string[]): void {
    const at = Number(now);
    if (state === TICK) {
      // A statement this poll did not see any more, and never saw idle: its backend moved on.
      for (const [key, statement] of this.open) {
        if (this.seenThisPoll.has(key)) continue;
        statement.endedAt = statement.lastSeenActiveAt;
        this.open.delete(key);
      }
      this.seenThisPoll = new Set();
      this.polls++;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.();
      return;
    }
    // One statement per backend until it is seen idle: under the extended protocol, Parse,
    // Bind and Execute each restart query_start while the backend stays active.
    const key = pid as string;
    this.seenThisPoll.add(key);
    let statement = this.open.get(key);
    if (!statement) {
      if (state !== 'active') return; // ended before this watch first saw it
      statement = {
        pid: Number(pid),
        startedAt: Number(queryStart),
        endedAt: undefined,
        endExact: false,
        lastSeenActiveAt: at,
      };
      this.open.set(key, statement);
      this.statements.push(statement);
    }
    if (state === 'active') statement.lastSeenActiveAt = at;
    else {
      statement.endedAt = Number(stateChange);
      statement.endExact = true;
      this.open.delete(key);
    }
  }
}
