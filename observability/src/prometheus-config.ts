import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** observability/prometheus/, where prometheus.yml and rules/ are committed. */
export const prometheusDir = fileURLToPath(new URL('../prometheus/', import.meta.url));

export interface PrometheusConfigOptions {
  /** `host:port` of the API's HTTPS listener. */
  apiTarget: string;
  /** Scrape and rule-evaluation interval, e.g. '1s' in tests. */
  interval?: string;
}

/**
 * The committed prometheus.yml with the compose replicas' discovery (Docker's DNS for `api`)
 * replaced by one static target, and the rule files made absolute, so the copy can live
 * anywhere (.data/).
 */
export function renderPrometheusConfig(options: PrometheusConfigOptions): string {
  let text = readFileSync(`${prometheusDir}prometheus.yml`, 'utf8');
  // The compose block as committed (biome formats YAML with double quotes).
  const composeReplicas = /( *)dns_sd_configs:\n\s*- names: \["api"\]\n\s*type: A\n\s*port: 8443\n/;
  if (!composeReplicas.test(text)) throw new Error('prometheus.yml no longer discovers the "api" replicas by DNS');
  text = text
    .replace(
      composeReplicas,
      (_block, indent: string) =>
        `${indent}static_configs:\n${indent}  - targets: [${JSON.stringify(options.apiTarget)}]\n`,
    )
    .replaceAll('  - rules/', `  - ${prometheusDir}rules/`);
  if (options.interval) {
    text = text
      .replace(/scrape_interval: \S+/, `scrape_interval: ${options.interval}`)
      .replace(/evaluation_interval: \S+/, `evaluation_interval: ${options.interval}`);
  }
  return text;
}
