export { type AdminClient, createAdminClient, sendJson } from './admin-client.js';
export { type ApiRateLimit, apiRateLimitEnv, LIFTED_API_RATE_LIMIT } from './api-rate-limit-env.js';
export { type CapturedProcess, spawnCaptured } from './captured-process.js';
export { chromiumLaunchOptions } from './chromium-launch-options.js';
export { type CpuSplit, cpuSplit } from './cpu-split.js';
export { EventStreamFollower, type EventStreamFollowerOptions } from './event-stream-follower.js';
export { EventStreamReader, type EventStreamReaderOptions, type StreamedEvent } from './event-stream-reader.js';
export { exitOnSignals } from './exit-on-signals.js';
export { formatMarkdownFile } from './format-markdown.js';
export { freePorts } from './free-ports.js';
export { type H2Response, h2Request, h2RequestOnce, openH2Session } from './h2-request.js';
export {
  H2LOAD,
  type H2loadCountedOptions,
  type H2loadLatency,
  type H2loadOptions,
  type H2loadRun,
  type H2loadSummary,
  type H2loadTimedOptions,
  type LoadShape,
  parseH2loadOutput,
  readLatencyLog,
  readStatusLog,
  runH2load,
  shapeLabel,
} from './h2load.js';
export { median, percentile } from './percentile.js';
export { isProcessAlive } from './process-alive.js';
export { processGroupCpuMs } from './process-group-cpu.js';
export { fetchMetricsText, type MetricSample, parseMetricSamples, readMetrics } from './read-metrics.js';
export {
  apiDir,
  devCertCli,
  devCertFile,
  haproxyConfigTemplate,
  repoRoot,
  tsxBin,
  typescriptNodeArgs,
  webDir,
} from './repo-paths.js';
export {
  type BrowserRecord,
  collectBrowserRecords,
  collectRequestTrace,
  collectServerRequestIds,
  type LogRecord,
  parseServerTiming,
  type RequestTrace,
  RUM_API_CALL_MESSAGE,
  type ServerLine,
} from './request-trace.js';
export { ServerProcess, type ServerProcessOptions } from './server-process.js';
export { DEMO_ADMIN_EMAIL, DEMO_USER_EMAIL, signIn } from './sign-in.js';
export {
  type BrowserWithContexts,
  type ContextWithRequest,
  signedInStorageState,
  signInBrowserContext,
} from './sign-in-browser-context.js';
export { type RunningApi, type StartApiOptions, startApi } from './start-api.js';
export {
  type HaproxyBackend,
  haproxyConfig,
  type RunningHaproxy,
  type ServerStates,
  type StartHaproxyOptions,
  startHaproxy,
} from './start-haproxy.js';
export { type RunningPostgres, type StartPostgresOptions, startPostgres } from './start-postgres.js';
export { type RunningRedis, type StartRedisOptions, startRedis } from './start-redis.js';
export { type RunningScaleOut, type StartScaleOutOptions, startScaleOut } from './start-scale-out.js';
export { type RunningWeb, type StartWebOptions, startWeb } from './start-web.js';
export { ensureWebBuild, type WebBuild, webBuildCacheDir } from './web-build.js';
export { webSourcesHash } from './web-sources-hash.js';
