import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabId } from '@tandem/contract/labs';
import {
  type ApiRateLimit,
  apiRateLimitEnv,
  cpuSplit,
  DEMO_ADMIN_EMAIL,
  DEMO_USER_EMAIL,
  freePorts,
  LIFTED_API_RATE_LIMIT,
  type RunningApi,
  type RunningWeb,
  signedInStorageState,
  startApi,
  startPostgres,
  startWeb,
} from '@tandem/local-stack';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

import { launchChromium } from '../browser.js';
import { createLabAdmin, type LabAdmin } from '../lab-admin.js';
import type { Progress } from '../progress.js';

/** What a lab needs running. The API always runs; the rest on request. */
export interface LabServers {
  /** The API's database: the embedded PGlite (default), or a fresh PostgreSQL server of the run's own. */
  database?: 'pglite' | 'postgres';
  /**
   * With two cores: the API on CPU 0, PostgreSQL and the lab's load generator (stack.loadCpu)
   * on CPU 1, so the API's CPU figures are its own (cpuSplit).
   */
  splitCpus?: boolean;
  api?: {
    /** What is special about this API, for the progress line. */
    note?: string;
    /** Extra environment (see .env.example). */
    env?: Record<string, string>;
    /** The `api` bucket: `lifted` when every request comes from one address and the limiter is not what is measured. */
    rateLimit?: 'lifted' | ApiRateLimit;
    /** Open the API's inspector on a free loopback port (stack.inspectPort), for CPU profiles. */
    inspector?: boolean;
    /** The API's log file in the run's folder, emptied at the start; `api.log` (appended to) by default. */
    logFile?: string;
  };
  /** The production SPA with its lab layer, served over HTTP/2 against this API; the API allows its origin. */
  spa?: boolean;
  /** Chromium, with these extra command-line switches if given. */
  chromium?: boolean | { args: string[] };
  /** A folder of its own inside the work folder: its own embedded database and logs. */
  ownFolder?: boolean;
}

/** The servers of one lab run, and its admin client. */
export interface LabStack {
  api: RunningApi;
  /** The admin routes with the run's token: lab switches, event generator. */
  admin: LabAdmin;
  /** The run's folder: the servers' data, build and logs. */
  dir: string;
  apiLogFile: string;
  /** True when the CPUs are split (servers.splitCpus on a machine that allows it). */
  pinned: boolean;
  /** Spread into runH2load's options: the load generator's CPU when the CPUs are split. */
  loadCpu: { cpuList?: string };
  /** PostgreSQL's database URL (servers.database `postgres`). */
  readonly databaseUrl: string;
  /** The API's inspector port (servers.api.inspector). */
  readonly inspectPort: number;
  /** The SPA (servers.spa). */
  readonly web: RunningWeb;
  /** Chromium (servers.chromium). */
  readonly browser: Browser;
  /**
   * A new context of Chromium (HTTPS errors ignored: the dev certificate), signed in as the
   * demo user (the seeded orders' owner) or the demo admin (the reports): the SPA needs a
   * session for every page but sign-in. The first one of an account signs in through the
   * API (local-stack's signedInStorageState); later ones share its session. Closed by the caller.
   */
  signedInContext(as: 'user' | 'admin', options?: BrowserContextOptions): Promise<BrowserContext>;
  /** Stops everything started, the last started first. */
  stop(): Promise<void>;
}

/** Starts what `servers` asks for, in dependency order (PostgreSQL, API, SPA, Chromium); on a failure, stops what had started. */
export async function startLabStack(
  id: LabId,
  servers: LabServers,
  options: { workDir?: string; progress: Progress },
): Promise<LabStack> {
  const { progress } = options;
  const base = options.workDir ?? mkdtempSync(join(tmpdir(), `tandem-lab-${id}-`));
  const dir = servers.ownFolder ? join(base, id) : base;
  mkdirSync(dir, { recursive: true });
  const split = servers.splitCpus ? cpuSplit() : undefined;
  const [inspectPort = 0, webPort = 0] = await freePorts(2);
  const api = servers.api ?? {};
  const apiLogFile = join(dir, api.logFile ?? 'api.log');
  if (api.logFile) writeFileSync(apiLogFile, '');

  const stops: (() => unknown)[] = [];
  const stop = async () => {
    let failure: unknown;
    for (const stopOne of stops.splice(0).reverse()) {
      try {
        await stopOne();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure) throw failure;
  };
  try {
    let databaseUrl: string | undefined;
    if (servers.database === 'postgres') {
      progress(`starting PostgreSQL${split ? ` on CPU ${split.load} (taskset)` : ''}`);
      const postgres = await startPostgres(split ? { cpuList: split.load } : {});
      stops.push(() => postgres.stop());
      databaseUrl = postgres.createDatabase(`tandem_lab_${id.replaceAll('-', '_')}`);
    }

    const described = [
      split ? `on CPU ${split.server} (taskset)` : '',
      api.inspector ? `with its inspector on 127.0.0.1:${inspectPort}` : '',
      api.note ? `(${api.note})` : '',
    ].filter(Boolean);
    progress(['starting the API', ...described].join(' '));
    const rateLimit = api.rateLimit === 'lifted' ? LIFTED_API_RATE_LIMIT : api.rateLimit;
    const runningApi = await startApi({
      labs: true,
      workDir: dir,
      logFile: apiLogFile,
      ...(split ? { cpuList: split.server } : {}),
      ...(api.inspector ? { nodeArgs: [`--inspect=127.0.0.1:${inspectPort}`] } : {}),
      ...(servers.spa ? { corsOrigins: [`https://localhost:${webPort}`] } : {}),
      env: {
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        ...(rateLimit ? apiRateLimitEnv(rateLimit) : {}),
        ...api.env,
      },
    });
    stops.push(() => runningApi.stop());

    let web: RunningWeb | undefined;
    if (servers.spa) {
      progress('serving the SPA (the production build, built once per source state)');
      const running = await startWeb({
        workDir: dir,
        apiOrigin: runningApi.origin,
        h1Origin: runningApi.h1Origin,
        port: webPort,
        // The SPA's lab layer: the labs flip the tab's seams through it.
        labs: true,
      });
      stops.push(() => running.stop());
      web = running;
    }

    let browser: Browser | undefined;
    if (servers.chromium) {
      const launched = await launchChromium(servers.chromium === true ? [] : servers.chromium.args);
      stops.push(() => launched.close());
      browser = launched;
    }

    // One sign-in per account and run, its session shared by every context (signedInContext).
    const signedIn = new Map<'user' | 'admin', Promise<StorageState>>();
    const declared = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new Error(`lab ${id} uses ${what} without asking for it in its servers`);
      return value;
    };
    return {
      api: runningApi,
      admin: createLabAdmin(runningApi.origin, runningApi.adminToken),
      dir,
      apiLogFile,
      pinned: split !== undefined,
      loadCpu: split ? { cpuList: split.load } : {},
      get databaseUrl() {
        return declared(databaseUrl, "PostgreSQL (database: 'postgres')");
      },
      get inspectPort() {
        return declared(api.inspector ? inspectPort : undefined, "the API's inspector (api.inspector)");
      },
      get web() {
        return declared(web, 'the SPA (spa)');
      },
      get browser() {
        return declared(browser, 'Chromium (chromium)');
      },
      async signedInContext(as, contextOptions = {}) {
        const chromium = declared(browser, 'Chromium (chromium)');
        let state = signedIn.get(as);
        if (!state) {
          const email = as === 'admin' ? DEMO_ADMIN_EMAIL : DEMO_USER_EMAIL;
          state = signedInStorageState(chromium, runningApi.origin, email, runningApi.demoPassword);
          signedIn.set(as, state);
        }
        return chromium.newContext({ ignoreHTTPSErrors: true, ...contextOptions, storageState: await state });
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
