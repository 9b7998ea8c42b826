import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServerProcess } from '@tandem/local-stack';
import { renderPrometheusConfig } from './prometheus-config.js';

/** Debian's `prometheus` package puts the binary here; PROMETHEUS_BIN overrides. */
export const prometheusBin = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface StartPrometheusOptions {
  /** `host:port` of the API's HTTPS listener. */
  apiTarget: string;
  port: number;
  /** Holds the generated config, the TSDB (`data/`) and the log. */
  workDir: string;
  interval?: string;
}

export interface RunningPrometheus {
  url: string;
  process: ServerProcess;
  stop(): Promise<void>;
}

/** Starts the local Prometheus binary on loopback with the remote-write receiver on, and waits for `/-/ready`. */
export async function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus> {
  if (!existsSync(prometheusBin)) {
    throw new Error(
      `No Prometheus at ${prometheusBin}. Install it (apt-get install prometheus), set PROMETHEUS_BIN, or use docker compose.`,
    );
  }
  mkdirSync(options.workDir, { recursive: true });
  const configFile = join(options.workDir, 'prometheus.yml');
  writeFileSync(configFile, renderPrometheusConfig({ apiTarget: options.apiTarget, interval: options.interval }));
  const url = `http://127.0.0.1:${options.port}`;
  const server = ServerProcess.start({
    name: 'prometheus',
    command: prometheusBin,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--web.enable-remote-write-receiver',
      '--web.enable-lifecycle',
    ],
    cwd: options.workDir,
    env: process.env,
    logFile: join(options.workDir, 'prometheus.log'),
  });
  try {
    await waitUntilReady(`${url}/-/ready`, server, 30_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, process: server, stop: () => server.stop() };
}

async function waitUntilReady(url: string, server: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`prometheus: ${url} was not ready within ${timeoutMs / 1000} s\n${server.logTail()}`);
}
