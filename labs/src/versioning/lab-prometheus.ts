import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePorts, repoRoot, ServerProcess } from '@tandem/local-stack';

/** Debian's `prometheus` package puts the binary here; PROMETHEUS_BIN overrides (as in observability/). */
const prometheusBin = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const rulesDir = join(repoRoot, 'observability', 'prometheus', 'rules');
export const ALERT_NAME = 'TandemV2ErrorRateAboveV1';

export interface LabPrometheusOptions {
  /** `host:port` of the API's HTTPS listener. */
  apiTarget: string;
  /** A fresh folder: the config, the rule copies, the TSDB and the log (emptied first). */
  workDir: string;
  /** Scrape and rule-evaluation interval in seconds. */
  intervalSeconds: number;
  /** The alert's `for`, in seconds, instead of the committed 1m: a lab run cannot wait minutes per setting. */
  alertForSeconds: number;
}

export interface LabPrometheus {
  url: string;
  /** True once the alert is `firing` (not only pending). */
  alertFiring(): Promise<boolean>;
  /** True once the API target has been scraped successfully. */
  targetUp(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus for one lab setting: it scrapes the API every `intervalSeconds` and
 * evaluates the repository's own version rules (observability/prometheus/rules/
 * tandem-versions.*.yml): the recording rules verbatim, the alert with only its `for`
 * shortened, so the lab measures the committed expression. A fresh TSDB per setting keeps
 * one setting's errors out of the next one's 1m rate window.
 */
export async function startLabPrometheus(options: LabPrometheusOptions): Promise<LabPrometheus> {
  if (!existsSync(prometheusBin)) {
    throw new Error(
      `No Prometheus at ${prometheusBin}. Install it (apt-get install prometheus) or set PROMETHEUS_BIN.`,
    );
  }
  rmSync(options.workDir, { recursive: true, force: true });
  mkdirSync(options.workDir, { recursive: true });
  const recording = join(options.workDir, 'tandem-versions.rules.yml');
  const alerts = join(options.workDir, 'tandem-versions.alerts.yml');
  writeFileSync(recording, readFileSync(join(rulesDir, 'tandem-versions.rules.yml'), 'utf8'));
  writeFileSync(alerts, withAlertFor(readFileSync(join(rulesDir, 'tandem-versions.alerts.yml'), 'utf8'), options));
  const interval = `${options.intervalSeconds}s`;
  const configFile = join(options.workDir, 'prometheus.yml');
  writeFileSync(
    configFile,
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  evaluation_interval: ${interval}`,
      'rule_files:',
      `  - ${JSON.stringify(recording)}`,
      `  - ${JSON.stringify(alerts)}`,
      'scrape_configs:',
      '  - job_name: tandem-api',
      '    scheme: https',
      '    metrics_path: /metrics',
      '    tls_config:',
      '      insecure_skip_verify: true',
      '    static_configs:',
      `      - targets: [${JSON.stringify(options.apiTarget)}]`,
      '',
    ].join('\n'),
  );
  const [port] = await freePorts(1, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const server = ServerProcess.start({
    name: 'prometheus',
    command: prometheusBin,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    cwd: options.workDir,
    env: process.env,
    logFile: join(options.workDir, 'prometheus.log'),
  });
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`prometheus: ${url} was not ready within 30 s\n${server.logTail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const api = async <T>(path: string): Promise<T> => {
    const body = (await (await fetch(`${url}${path}`)).json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? body.status}`);
    return body.data;
  };
  return {
    url,
    alertFiring: async () =>
      (await api<{ alerts: { labels: Record<string, string>; state: string }[] }>('/api/v1/alerts')).alerts.some(
        (alert) => alert.labels.alertname === ALERT_NAME && alert.state === 'firing',
      ),
    targetUp: async () =>
      (await api<{ result: unknown[] }>(`/api/v1/query?query=${encodeURIComponent('up{job="tandem-api"} == 1')}`))
        .result.length > 0,
    stop: () => server.stop(),
  };
}

/** The committed alert file with its one `for:` replaced; fails loudly if the file no longer has exactly one. */
function withAlertFor(text: string, options: LabPrometheusOptions): string {
  const lines = text.match(/^\s+for: \S+$/gm) ?? [];
  if (lines.length !== 1 || !text.includes(`alert: ${ALERT_NAME}`)) {
    throw new Error(`tandem-versions.alerts.yml should hold one alert (${ALERT_NAME}) with one "for:" line`);
  }
  return text.replace(/^(\s+for: )\S+$/m, `$1${options.alertForSeconds}s`);
}
