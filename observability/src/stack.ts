import { join } from 'node:path';
import { repoRoot } from '@tandem/local-stack';
import { prometheusBin, startPrometheus } from './start-prometheus.js';

/**
 * `pnpm stack`: a local Prometheus (no Docker) scraping a running API, with the rules and
 * the remote-write receiver k6 writes to. API_URL (default https://localhost:8443) and
 * PROMETHEUS_PORT (default 9090) are the names .env.example and compose use.
 */
const apiUrl = new URL(process.env.API_URL ?? 'https://localhost:8443');
const port = Number(process.env.PROMETHEUS_PORT ?? 9090);
const apiTarget = `${apiUrl.hostname}:${apiUrl.port || 443}`;

try {
  const prometheus = await startPrometheus({ apiTarget, port, workDir: join(repoRoot, '.data', 'prometheus') });
  console.log(`Prometheus ${prometheus.url} (pid ${prometheus.process.pid}) scrapes ${apiUrl.origin}/metrics`);
  console.log(`  targets: ${prometheus.url}/targets   k6 remote write: ${prometheus.url}/api/v1/write`);
  console.log('  Grafana dashboards need Docker: docker compose up (see observability/README.md). Ctrl-C stops.');
  const stop = async () => {
    await prometheus.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await prometheus.process.succeeded().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
} catch (error) {
  console.error((error as Error).message);
  if (!process.env.PROMETHEUS_BIN) console.error(`Looked for ${prometheusBin}.`);
  process.exit(1);
}
