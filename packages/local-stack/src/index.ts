export { chromiumLaunchOptions } from './chromium-launch-options.js';
export { formatMarkdownFile } from './format-markdown.js';
export { freePorts } from './free-ports.js';
export { createLabAdmin, type LabAdmin } from './lab-admin.js';
export { readMetrics } from './read-metrics.js';
export { apiDir, repoRoot, webDir } from './repo-paths.js';
export { ServerProcess, type ServerProcessOptions } from './server-process.js';
export { type RunningApi, type StartApiOptions, startApi } from './start-api.js';
export { type RunningWeb, type StartWebOptions, startWeb } from './start-web.js';
