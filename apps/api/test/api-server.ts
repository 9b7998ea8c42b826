// Starts the real app for one test file: HTTP/2 + TLS on 127.0.0.1, port 0, a private
// copy of the PGlite template, a throwaway dev certificate. Closed (and cleaned) by `close`.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@tandem/contract';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { listenH1 } from '../src/plugins/app/h1-listener.js';
import { adoptUnownedOrders, createAccount, type TestAccount, testPasswordHasher } from './accounts.js';
import { H2Client } from './clients.js';
import { copyPgliteTemplate } from './databases.js';

export const ALLOWED_ORIGIN = 'https://localhost:5173';

export interface StartedApi {
  app: FastifyInstance;
  /** `https://127.0.0.1:<port>` */
  origin: string;
  /** The HTTP/1.1-only listener's origin, when started with `h1: true`. */
  h1Origin: string | undefined;
  /**
   * The account the file's requests are made as (role `user`): it owns the template's
   * seeded orders and every order its client creates. Its `cookie` is the session.
   */
  account: TestAccount;
  /** The request headers of `account`'s session: `new H2Client(api.origin, api.signedIn)`. */
  signedIn: { cookie: string };
  close(): Promise<void>;
}

export interface StartApiOptions {
  /** Variables over the test defaults below; the app gets them as its config and as `deps.env`. */
  env?: Record<string, string>;
  database?: Database;
  /** Runs after the app is built and before it listens (extra test-only routes). */
  beforeListen?: (app: FastifyInstance) => void;
  /** Also start the HTTP/1.1-only listener (API_H1_PORT) on a free port. */
  h1?: boolean;
  /** The role of the file's account (`api.account`); `user` unless it tests what an admin may do (the reports). */
  role?: Role;
  /** false: no account is made (a database that answers nothing cannot hold one); `api.account` then throws. */
  signIn?: boolean;
}

/** A port nothing listens on right now (the kernel's pick, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startApi(options: StartApiOptions = {}): Promise<StartedApi> {
  const certDir = mkdtempSync(join(tmpdir(), 'tandem-cert-'));
  const copy = options.database ? undefined : copyPgliteTemplate();
  const env: Record<string, string> = {
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    CORS_ORIGINS: ALLOWED_ORIGIN,
    PGLITE_DATA_DIR: copy?.dataDir ?? certDir,
    SEED_ORDERS: '0',
    LOG_LEVEL: 'silent',
    TLS_DEV_CERT_DIR: certDir,
    API_H1_PORT: options.h1 ? String(await freePort()) : '0',
    // Every test talks from 127.0.0.1: budgets no test reaches, so whether a test is
    // refused never depends on how fast the machine is. The rate-limit tests set their own.
    RATE_LIMIT_API_UNITS_PER_SECOND: '1000000',
    RATE_LIMIT_API_BURST: '10000000',
    RATE_LIMIT_RUM_UNITS_PER_SECOND: '1000000',
    RATE_LIMIT_RUM_BURST: '10000000',
    // No load shedding, for the same reason: a busy test machine must not turn an answer
    // into a 503. load-shedding.test.ts sets its own thresholds.
    LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: '0',
    LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION: '0',
    LOAD_SHEDDING_MAX_HEAP_USED_MB: '0',
    ...options.env,
  };
  const config = loadConfig(env);
  const app = await buildApp(config, {
    env,
    passwordHasher: testPasswordHasher,
    ...(options.database ? { database: options.database } : {}),
  });
  options.beforeListen?.(app);
  await app.ready();
  const account = options.signIn === false ? undefined : await createAccount(app, { role: options.role ?? 'user' });
  if (account) await adoptUnownedOrders(app, account.user);
  const signedInAccount = (): TestAccount => {
    if (!account) throw new Error('started with signIn: false: there is no account');
    return account;
  };
  await app.listen({ host: config.host, port: 0 });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('the app is not listening on a port');
  const h1Port = app.h1Server ? await listenH1(app.h1Server, config.host, config.h1Port) : undefined;
  return {
    app,
    origin: `https://127.0.0.1:${address.port}`,
    h1Origin: h1Port === undefined ? undefined : `https://127.0.0.1:${h1Port}`,
    get account() {
      return signedInAccount();
    },
    get signedIn() {
      return { cookie: signedInAccount().cookie };
    },
    async close() {
      await app.close();
      copy?.remove();
      rmSync(certDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the app once for the enclosing file or `describe` (beforeAll) with an HTTP/2
 * client signed in as `api.account`, and closes both afterwards. Read `api` and `client`
 * inside tests; `new H2Client(api.origin)` is a client without a session.
 */
export function useStartedApi(options: StartApiOptions = {}): { readonly api: StartedApi; readonly client: H2Client } {
  const started = {} as { api: StartedApi; client: H2Client };
  beforeAll(async () => {
    started.api = await startApi(options);
    started.client = new H2Client(started.api.origin, options.signIn === false ? {} : started.api.signedIn);
  });
  afterAll(async () => {
    await started.client?.close();
    await started.api?.close();
  });
  return started;
}
