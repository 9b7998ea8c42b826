import type { ClientHttp2Session } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { h2Request, openH2Session } from '@tandem/local-stack';

/** One orders-list call as its reader timed it. */
export interface ReaderCall {
  status: number;
  startedAt: number;
  endedAt: number;
}

export interface OrdersReadersOptions {
  origin: string;
  /** One `Cookie` header value per reader: each reader is a signed-in user of its own session. */
  cookies: readonly string[];
  path: string;
  /** Pause between a reader's answer and its next call. */
  thinkMs: number;
}

/**
 * Signed-in users browsing while others sign in: each reader, on its own HTTP/2
 * connection, asks the orders list, waits `thinkMs`, asks again, until `stop`. Every call
 * is kept with its start and end (performance.now()).
 */
export class OrdersReaders {
  readonly calls: ReaderCall[] = [];
  private running = true;
  private readonly loops: Promise<void>[];
  private readonly sessions: ClientHttp2Session[] = [];

  constructor(private readonly options: OrdersReadersOptions) {
    this.loops = options.cookies.map((cookie) => this.read(cookie));
  }

  private async read(cookie: string): Promise<void> {
    const session = await openH2Session(this.options.origin);
    this.sessions.push(session);
    while (this.running) {
      const startedAt = performance.now();
      const { status } = await h2Request(session, { path: this.options.path, headers: { cookie } }).catch(() => ({
        status: 0,
      }));
      this.calls.push({ status, startedAt, endedAt: performance.now() });
      await delay(this.options.thinkMs);
    }
  }

  /** Lets every reader finish its call in flight, then closes the connections. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.allSettled(this.loops);
    for (const session of this.sessions) session.close();
  }
}
