import type { ClientHttp2Session } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { endpoints } from '@tandem/contract';
import { h2Request, openH2Session } from '@tandem/local-stack';

/** One sign-in of the wave. */
export interface SignInAttempt {
  status: number;
  startedAt: number;
  endedAt: number;
}

export interface Account {
  email: string;
  password: string;
}

/**
 * A wave of users signing in: each account, on its own HTTP/2 connection, signs in again
 * as soon as its last sign-in answered, until `stop` — as many password checks in flight
 * as there are accounts, all the time.
 */
export class SignInWave {
  readonly attempts: SignInAttempt[] = [];
  private running = true;
  private readonly loops: Promise<void>[];
  private readonly sessions: ClientHttp2Session[] = [];

  constructor(origin: string, accounts: readonly Account[]) {
    this.loops = accounts.map((account) => this.signInRepeatedly(origin, account));
  }

  private async signInRepeatedly(origin: string, account: Account): Promise<void> {
    const session = await openH2Session(origin);
    this.sessions.push(session);
    const body = JSON.stringify(account);
    while (this.running) {
      const startedAt = performance.now();
      const { status } = await h2Request(session, {
        method: 'POST',
        path: endpoints.signIn.path,
        headers: { 'content-type': 'application/json' },
        body,
      }).catch(() => ({ status: 0 }));
      this.attempts.push({ status, startedAt, endedAt: performance.now() });
    }
  }

  /** Lets every sign-in in flight answer, then closes the connections. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.allSettled(this.loops);
    for (const session of this.sessions) session.close();
  }
}
