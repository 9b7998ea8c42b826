import { type ClientHttp2Session, connect } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { REQUEST_TIMEOUT_HEADER } from '@tandem/contract';

/** One call of a client with a deadline: what it saw, and when it gave up. */
export interface DeadlineCall {
  /** ms since the epoch when the request left. */
  sentAt: number;
  /** sentAt + the deadline: when this client stops waiting. */
  deadlineAt: number;
  /** `answered`: a response came before the deadline (its status); `gave up`: the client aborted at its deadline. */
  outcome: 'answered' | 'gave up';
  status: number | undefined;
  /** Until the answer or the abort, as the client measured it. */
  latencyMs: number;
}

/**
 * A caller with a deadline, as the SPA is one: it sends `X-Request-Timeout: <deadlineMs>`
 * and aborts the stream itself at that deadline (AbortSignal.timeout), whatever the
 * server does. One HTTP/2 connection for all its calls.
 */
export class DeadlineClient {
  private readonly session: ClientHttp2Session;

  /** `cookie`: the session every call sends (the reports are an admin's). */
  constructor(
    origin: string,
    private readonly cookie: string,
  ) {
    this.session = connect(origin, { rejectUnauthorized: false });
    this.session.on('error', () => {});
  }

  call(path: string, deadlineMs: number): Promise<DeadlineCall> {
    return new Promise((resolve) => {
      const sentAt = Date.now();
      const started = performance.now();
      const stream = this.session.request(
        { ':path': path, [REQUEST_TIMEOUT_HEADER]: String(deadlineMs), cookie: this.cookie },
        { signal: AbortSignal.timeout(deadlineMs) },
      );
      let status: number | undefined;
      const finish = (outcome: DeadlineCall['outcome']) =>
        resolve({ sentAt, deadlineAt: sentAt + deadlineMs, outcome, status, latencyMs: performance.now() - started });
      stream.on('response', (headers) => {
        status = Number(headers[':status']);
      });
      stream.resume();
      stream.on('end', () => finish('answered'));
      stream.on('error', () => finish('gave up'));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.session.close(() => resolve()));
  }
}
