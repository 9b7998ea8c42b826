import { type ClientHttp2Session, connect } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { h2Request } from '@tandem/local-stack';

/** One answer a batch client got. Times are `performance.now()` ms. */
export interface BatchAnswer {
  status: number;
  /** Ids the answer accounts for (`items` + `missing`); 0 when refused. */
  ids: number;
  startedAt: number;
  endedAt: number;
}

export interface BatchClientsOptions {
  origin: string;
  /** The session cookie every batch sends (the orders need a signed-in account). */
  cookie: string;
  /** Concurrent clients, each on its own HTTP/2 connection, one request in flight each. */
  clients: number;
  /** The batch paths the clients cycle through (`/api/v1/orders/batch?ids=…`). */
  paths: readonly string[];
  /** The longest a refused client waits before asking again, whatever `retryAfterMs` says. */
  maxWaitMs: number;
}

/**
 * Closed-loop batch clients: each sends a batch, and as soon as it is answered the next;
 * a 429 waits its `retryAfterMs` (capped) first, as a client that honours the limiter
 * would. Runs until `stop()` and hands back every answer, so a caller can cut any
 * window out of it.
 */
export class BatchClients {
  readonly answers: BatchAnswer[] = [];
  private running = true;
  /** The first thing that went wrong (an answer other than 200 or 429, a dropped connection). */
  private failure: Error | undefined;
  private readonly sessions: ClientHttp2Session[] = [];
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(private readonly options: BatchClientsOptions) {
    for (let client = 0; client < options.clients; client++) {
      const session = connect(options.origin, { rejectUnauthorized: false });
      session.on('error', () => {});
      this.sessions.push(session);
      this.loops.push(
        this.loop(session, client).catch((error: unknown) => {
          this.failure ??= error instanceof Error ? error : new Error(String(error));
        }),
      );
    }
  }

  /** Stops every client after its request in flight, closes the connections, and throws what failed, if anything did. */
  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
    await Promise.all(this.sessions.map((session) => new Promise<void>((resolve) => session.close(() => resolve()))));
    if (this.failure) throw this.failure;
  }

  private async loop(session: ClientHttp2Session, client: number): Promise<void> {
    const { paths, maxWaitMs } = this.options;
    for (let n = client; this.running; n++) {
      const path = paths[n % paths.length] ?? '';
      const startedAt = performance.now();
      const answer = await get(session, path, this.options.cookie).catch((error: unknown) => ({
        status: 0,
        body: String(error),
      }));
      const endedAt = performance.now();
      if (answer.status === 0) {
        if (this.running) throw new Error(`batch client ${client}: ${answer.body}`);
        return;
      }
      const data = parseData(answer.body);
      this.answers.push({ status: answer.status, ids: idsOf(data), startedAt, endedAt });
      if (answer.status === 429) await this.sleep(Math.min(maxWaitMs, retryAfterMsOf(data)));
      else if (answer.status !== 200) throw new Error(`GET ${path} → ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}

async function get(
  session: ClientHttp2Session,
  path: string,
  cookie: string,
): Promise<{ status: number; body: string }> {
  const answer = await h2Request(session, { path, headers: { cookie } });
  return { status: answer.status, body: answer.body.toString() };
}

interface EnvelopeData {
  items?: unknown[];
  missing?: unknown[];
  retryAfterMs?: number;
}

function parseData(body: string): EnvelopeData {
  try {
    return (JSON.parse(body) as { data?: EnvelopeData }).data ?? {};
  } catch {
    return {};
  }
}

const idsOf = (data: EnvelopeData) => (data.items?.length ?? 0) + (data.missing?.length ?? 0);

/** A 429 without `retryAfterMs` (a batch larger than the burst) is not retried soon: wait the cap. */
const retryAfterMsOf = (data: EnvelopeData) =>
  typeof data.retryAfterMs === 'number' ? data.retryAfterMs : Number.POSITIVE_INFINITY;
