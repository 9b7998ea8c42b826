import { LAB_IDS } from '@tandem/contract/labs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { loadLabConfig } from './lab-config.js';

describe('loadLabConfig', () => {
  it('starts every lab tuned, with no slow report, in an empty environment', () => {
    const config = loadLabConfig({});
    expect(Object.keys(config.modes).sort()).toEqual([...LAB_IDS].sort());
    expect(Object.values(config.modes).every((mode) => mode === 'tuned')).toBe(true);
    expect(config.slowQueryMs).toBe(0);
    expect(Object.isFrozen(config.modes)).toBe(true);
  });

  it('reads LAB_MODE_* (blank is unset) and LAB_SLOW_QUERY_MS', () => {
    const config = loadLabConfig({
      LAB_MODE_H2_SSE: 'naive',
      LAB_MODE_HEARTBEAT: 'naive',
      LAB_MODE_LEAKS: '',
      LAB_MODE_RETRY_429: 'naive',
      LAB_SLOW_QUERY_MS: '5000',
    });
    expect(config.modes).toMatchObject({ 'h2-sse': 'naive', heartbeat: 'naive', leaks: 'tuned', 'retry-429': 'naive' });
    expect(config.slowQueryMs).toBe(5000);
  });

  it('refuses a mode that is neither naive nor tuned and a bad delay, naming each variable', () => {
    const attempt = () => loadLabConfig({ LAB_MODE_HEARTBEAT: 'fast', LAB_SLOW_QUERY_MS: '-1' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/LAB_MODE_HEARTBEAT="fast"[\s\S]*LAB_SLOW_QUERY_MS="-1"/);
  });

  it('is on only with LABS_ENABLED=true, read by the API’s config (off by default; a bad value is refused)', () => {
    expect(loadConfig({}).labsEnabled).toBe(false);
    expect(loadConfig({ LABS_ENABLED: 'true' }).labsEnabled).toBe(true);
    expect(() => loadConfig({ LABS_ENABLED: 'yes' })).toThrow(/LABS_ENABLED="yes"/);
  });

  it('owns its variables: the API’s own config does not read them', () => {
    expect(() => loadConfig({ LAB_MODE_HEARTBEAT: 'fast', LAB_SLOW_QUERY_MS: 'slow' })).not.toThrow();
  });
});
