import { readFileSync } from 'node:fs';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../../test/api-server.js';

/** The reference page; its tables' first column names the series it documents. */
const REFERENCE = new URL('../../../../../observability/METRICS.md', import.meta.url);

let api: StartedApi;
let registered: MetricObjectWithValues<MetricValue<string>>[];

beforeAll(async () => {
  // Every layer on: the page documents each series the API can register.
  api = await startApi({ env: { LABS_ENABLED: 'true' } });
  registered = await api.app.metrics.registry.getMetricsAsJSON();
});

afterAll(async () => {
  await api?.close();
});

/** `name → type` from the rows of METRICS.md's tables (`| \`name\` | type | …`, padded or not). */
function documented(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(REFERENCE, 'utf8').split('\n')) {
    const [, name, type] = line.split('|').map((cell) => cell.trim());
    const match = /^`([a-z_:][a-z0-9_:]*)`$/.exec(name ?? '');
    if (match?.[1] && type && /^[a-z]+$/.test(type)) rows.set(match[1], type);
  }
  return rows;
}

const ours = () => registered.filter((metric) => metric.name.startsWith('tandem_'));

describe('observability/METRICS.md', () => {
  it('lists every tandem_* series the registry has, and no other', () => {
    const page = documented();
    const pageOurs = [...page.keys()].filter((name) => name.startsWith('tandem_')).sort();
    expect(pageOurs).toEqual(
      ours()
        .map((metric) => metric.name)
        .sort(),
    );
  });

  it('gives each series the type it is registered with', () => {
    const page = documented();
    for (const metric of registered.filter((candidate) => page.has(candidate.name))) {
      expect(page.get(metric.name), metric.name).toBe(metric.type);
    }
  });

  it('lists only default metrics that are registered', () => {
    const names = new Set(registered.map((metric) => metric.name));
    const others = [...documented().keys()].filter((name) => !name.startsWith('tandem_'));
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((name) => !names.has(name))).toEqual([]);
  });
});

describe('metric-name lint (our own series)', () => {
  it('names are snake_case with the tandem_ prefix', () => {
    for (const { name } of ours()) expect(name).toMatch(/^tandem_[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  });

  it('counters and only counters end in _total', () => {
    for (const { name, type } of ours()) {
      expect(name.endsWith('_total'), `${name} (${type})`).toBe(String(type) === 'counter');
    }
  });

  it('units are base units, in the name', () => {
    for (const { name, type } of ours()) {
      expect(name, name).not.toMatch(
        /_(ms|millis|milliseconds|us|microseconds|minutes|hours|kb|kib|mb|mib|percent)(_|$)/,
      );
      // Histograms here measure time; a histogram of sizes would end in _bytes, of a unitless score (CLS) in _score.
      if (['histogram', 'summary'].includes(String(type))) expect(name, name).toMatch(/_(seconds|bytes|score)$/);
      if (/duration|latency|lag|time/.test(name)) expect(name, name).toMatch(/_seconds(_total)?$/);
    }
  });

  it('label names are snake_case and never reserved', () => {
    for (const metric of ours()) {
      for (const value of metric.values) {
        for (const label of Object.keys(value.labels)) {
          expect(label, metric.name).toMatch(/^[a-z][a-z0-9_]*$/);
          // `le` and `quantile` belong to histogram and summary samples; `__` names are Prometheus's.
          if (label !== 'le' && label !== 'quantile') expect(label.startsWith('__'), metric.name).toBe(false);
        }
      }
    }
  });
});
