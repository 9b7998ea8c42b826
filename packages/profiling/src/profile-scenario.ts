import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  chromiumLaunchOptions,
  DEMO_USER_EMAIL,
  freePorts,
  type RunningWeb,
  signInBrowserContext,
  startApi,
  startWeb,
} from '@tandem/local-stack';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { recordJointProfile } from './joint-recording.js';
import { type ProfileFiles, writeProfileFiles } from './profile-files.js';
import { serverRequestIdsInLog, watchBrowserRequestIds } from './request-ids.js';
import { SCENARIOS, type ScenarioName } from './scenarios.js';
import { type SelfTimeEntry, topSelfTime } from './top-self-time.js';
import { type LongTask, longTasks, rendererMainThreads } from './trace-long-tasks.js';

export interface ProfileRunOptions {
  scenario: ScenarioName;
  /** Length of the recording window. */
  seconds: number;
  /** Where the profiles and summary.json go (created). */
  outDir: string;
  /** Servers' data, logs and the SPA build; a fresh temporary folder by default. */
  workDir?: string;
  /** Extra environment for the API (see .env.example), e.g. `{ SEED_ORDERS: '100' }`. */
  apiEnv?: Record<string, string>;
  progress?: (line: string) => void;
}

/** What one run recorded: written as `summary.json` beside the profiles. */
export interface ProfileSummary {
  scenario: ScenarioName;
  description: string;
  seconds: number;
  /** The recording window, ISO 8601. */
  startedAt: string;
  endedAt: string;
  files: ProfileFiles & { summary: string; apiLog: string };
  /** The API's CPU samples in the window, and how many were busy (not idle). */
  cpuSamples: { total: number; busy: number };
  topServerFunctions: SelfTimeEntry[];
  /** Browser scenarios: tasks over 50 ms on the renderer main thread, longest first (at most 10). */
  longTasks: LongTask[];
  /** Browser scenarios: how many renderer main threads the trace names (CrRendererMain). */
  rendererMainThreads: number;
  requestIds: {
    /** Ids of the API calls the browser made in the window (from the answers' X-Request-ID). */
    browser: string[];
    /** Ids the API logged in the window. */
    server: string[];
    /** Seen on both sides: the calls whose browser trace and server profile overlap. */
    both: string[];
  };
}

/** The API's per-request lines only come at `info`; the lifted limits let a load reach the routes. */
const API_ENV = { LOG_LEVEL: 'info', RATE_LIMIT_API_UNITS_PER_SECOND: '1000000', RATE_LIMIT_API_BURST: '1000000' };

/**
 * `pnpm profile <scenario>`: starts the real API (with its inspector on a free loopback
 * port) and, for a browser scenario, the production SPA and Chromium; records the API's
 * CPU profile and the browser's trace over the same window while the scenario runs;
 * writes the files and summary.json into `outDir` and returns the summary.
 */
export async function profileScenario(options: ProfileRunOptions): Promise<ProfileSummary> {
  const scenario = SCENARIOS[options.scenario];
  const progress = options.progress ?? (() => {});
  const workDir = resolve(options.workDir ?? mkdtempSync(join(tmpdir(), 'tandem-profile-')));
  const outDir = resolve(options.outDir);
  const logFile = join(workDir, 'api.ndjson');
  writeFileSync(logFile, '');
  const [inspectPort = 0, webPort = 0] = await freePorts(2);

  progress(`starting the API (inspector on 127.0.0.1:${inspectPort}, log ${logFile})`);
  const api = await startApi({
    workDir,
    logFile,
    nodeArgs: [`--inspect=127.0.0.1:${inspectPort}`],
    ...(scenario.browser ? { corsOrigins: [`https://localhost:${webPort}`] } : {}),
    env: { ...API_ENV, ...options.apiEnv },
  });
  let web: RunningWeb | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  try {
    let page: Page | undefined;
    let browserIds: { ids: Set<string> } | undefined;
    if (scenario.browser) {
      progress('serving the SPA (its production build and server)');
      web = await startWeb({ workDir, apiOrigin: api.origin, h1Origin: api.h1Origin, port: webPort });
      progress('starting Chromium');
      browser = await chromium.launch(chromiumLaunchOptions);
      context = await browser.newContext({ ignoreHTTPSErrors: true });
      // The SPA's pages need a session: the tab browses as the demo user (the seeded orders' owner).
      await signInBrowserContext(context, api.origin, DEMO_USER_EMAIL, api.demoPassword);
      page = await context.newPage();
      browserIds = watchBrowserRequestIds(page, api.origin);
    }

    const logStart = statSync(logFile).size;
    progress(`recording ${options.seconds} s: ${scenario.description}`);
    const recording = await recordJointProfile({
      inspectPort,
      ...(browser && page ? { browser: { browser, page } } : {}),
      during: () =>
        scenario.run({
          apiOrigin: api.origin,
          ...(web ? { webOrigin: web.origin } : {}),
          ...(page ? { page } : {}),
          seconds: options.seconds,
          progress,
        }),
    });
    // The API writes its log lines as it answers; give the last ones a moment to land.
    await new Promise((done) => setTimeout(done, 500));
    const serverIds = await serverRequestIdsInLog(logFile, logStart);
    const browserIdList = [...(browserIds?.ids ?? [])];
    const serverIdSet = new Set(serverIds);

    progress(`writing the profiles to ${outDir}`);
    const files = writeProfileFiles(outDir, recording, {
      title: `pnpm profile ${options.scenario}: API CPU`,
      subtitle: `${options.seconds} s window, ${new Date(recording.startedAt).toISOString()}; ${scenario.description}`,
    });
    const samples = recording.cpuProfile.samples ?? [];
    const idle = new Set(
      recording.cpuProfile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id),
    );
    const summary: ProfileSummary = {
      scenario: options.scenario,
      description: scenario.description,
      seconds: options.seconds,
      startedAt: new Date(recording.startedAt).toISOString(),
      endedAt: new Date(recording.endedAt).toISOString(),
      files: { ...files, summary: join(outDir, 'summary.json'), apiLog: logFile },
      cpuSamples: { total: samples.length, busy: samples.filter((id) => !idle.has(id)).length },
      topServerFunctions: topSelfTime(recording.cpuProfile, 10),
      longTasks: recording.trace ? longTasks(recording.trace).slice(0, 10) : [],
      rendererMainThreads: recording.trace ? rendererMainThreads(recording.trace).length : 0,
      requestIds: {
        browser: browserIdList,
        server: serverIds,
        both: browserIdList.filter((id) => serverIdSet.has(id)),
      },
    };
    writeFileSync(summary.files.summary, `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await web?.stop();
    await api.stop();
  }
}
