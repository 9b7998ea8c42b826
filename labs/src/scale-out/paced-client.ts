import { type ClientHttp2Session, connect } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect } from 'node:tls';
import { h2Request } from '@tandem/local-stack';

/** One answer: its status and when it came (`performance.now()` ms). */
export interface PacedAnswer {
  status: number;
  at: number;
}

export interface PacedClientOptions {
  /** The balancer's origin. */
  origin: string;
  /**
   * The loopback address the connections come from: HAProxy writes it into X-Forwarded-For
   * and the replicas (TRUST_PROXY_HOPS=1) key the client's budget on it, so every request
   * of this client is charged to one budget, whichever replica answers.
   */
  localAddress: string;
  /** HTTP/2 connections to the balancer, used in turn. */
  connections: number;
  path: string;
}

/**
 * One client sending requests at a set rate whatever the answers (open loop): a refused
 * request is not retried, so what the replicas admit is read straight off the statuses.
 */
export class PacedClient {
  readonly answers: PacedAnswer[] = [];
  private failure: Error | undefined;

  private constructor(
    private readonly options: PacedClientOptions,
    private readonly sessions: ClientHttp2Session[],
  ) {}

  static async open(options: PacedClientOptions): Promise<PacedClient> {
    const sessions = await Promise.all(
      Array.from({ length: options.connections }, () => sessionFrom(options.origin, options.localAddress)),
    );
    return new PacedClient(options, sessions);
  }

  /** Sends `perSecond` requests a second for `seconds`, then waits for the last answers. */
  async run(perSecond: number, seconds: number): Promise<void> {
    const total = Math.round(perSecond * seconds);
    const started = performance.now();
    const pending: Promise<void>[] = [];
    for (let n = 0; n < total; n++) {
      const due = started + (n * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const session = this.sessions[n % this.sessions.length] as ClientHttp2Session;
      pending.push(
        h2Request(session, { path: this.options.path }).then(
          (answer) => {
            this.answers.push({ status: answer.status, at: performance.now() });
          },
          (error: unknown) => {
            this.failure ??= error instanceof Error ? error : new Error(String(error));
          },
        ),
      );
    }
    await Promise.all(pending);
    if (this.failure) throw this.failure;
  }

  close(): Promise<void> {
    return Promise.all(
      this.sessions.map((session) => new Promise<void>((resolve) => session.close(() => resolve()))),
    ).then(() => undefined);
  }
}

function sessionFrom(origin: string, localAddress: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin);
    const socket = netConnect({ host: '127.0.0.1', port: Number(port), localAddress });
    const session = connect(origin, {
      createConnection: () =>
        tlsConnect({ socket, servername: hostname, ALPNProtocols: ['h2'], rejectUnauthorized: false }),
    });
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}
