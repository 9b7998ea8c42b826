import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prometheusDir } from './prometheus-config.js';

const promtool = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
const ruleFiles = readdirSync(`${prometheusDir}rules`).filter((file) => /\.(rules|alerts)\.yml$/.test(file));
const ruleTests = readdirSync(`${prometheusDir}rules`).filter((file) => file.endsWith('.test.yml'));

/** Runs promtool in prometheus/ and fails with its whole output on a non-zero exit. */
function promtoolPasses(args: string[]): void {
  const result = spawnSync(promtool, args, { cwd: prometheusDir, encoding: 'utf8' });
  if (result.error) throw result.error;
  expect(result.status, `promtool ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
}

describe('promtool', () => {
  it('finds the rule files and their unit tests', () => {
    expect(ruleFiles.length).toBeGreaterThan(0);
    expect(ruleTests.length).toBeGreaterThan(0);
  });

  it('check config: prometheus.yml and the rule files it names', () => {
    promtoolPasses(['check', 'config', 'prometheus.yml']);
  });

  it('check rules: every rules/*.rules.yml and *.alerts.yml', () => {
    promtoolPasses(['check', 'rules', ...ruleFiles.map((file) => `rules/${file}`)]);
  });

  it('test rules: every rules/*.test.yml', () => {
    promtoolPasses(['test', 'rules', ...ruleTests.map((file) => `rules/${file}`)]);
  });
});
