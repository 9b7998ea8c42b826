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
 * The committed prometheus.yml with the compose placeholder target (`api:8443`) replaced
 * by a real one and the rule files made absolute, so the copy can live anywhere (.data/).
 */
export function renderPrometheusConfig(options: PrometheusConfigOptions): string {
  let text = readFileSync(`${prometheusDir}prometheus.yml`, 'utf8');
  // The quoted placeholder in the targets list (biome formats YAML with double quotes).
  const placeholder = /(["'])api:8443\1/;
  if (!placeholder.test(text)) throw new Error('prometheus.yml no longer has the "api:8443" target');
  text = text
    .replace(placeholder, JSON.stringify(options.apiTarget))
    .replaceAll('  - rules/', `  - ${prometheusDir}rules/`);
  if (options.interval) {
    text = text
      .replace(/scrape_interval: \S+/, `scrape_interval: ${options.interval}`)
      .replace(/evaluation_interval: \S+/, `evaluation_interval: ${options.interval}`);
  }
  return text;
}
