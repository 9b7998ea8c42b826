import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { loadLabConfig } from './lab-config.js';
import { scaleOutStartConfig } from './scale-out.js';

const env = { REDIS_URL: 'redis://127.0.0.1:6379' };

describe('scale-out lab: the start config', () => {
  it('tuned keeps the product’s config: the buckets and the shared state on Redis', () => {
    const config = loadConfig(env);
    const started = scaleOutStartConfig(config, loadLabConfig({ LAB_MODE_SCALE_OUT: 'tuned' }));
    expect(started).toBe(config);
  });

  it('naive keeps the limiter’s buckets and the shared state in the process, the rest untouched', () => {
    const config = loadConfig(env);
    const started = scaleOutStartConfig(config, loadLabConfig({ LAB_MODE_SCALE_OUT: 'naive' }));
    expect(started.rateLimit.redisUrl).toBeUndefined();
    expect(started.sharedState.redisUrl).toBeUndefined();
    expect(started.rateLimit.settings).toEqual(config.rateLimit.settings);
    expect(started.sharedState.eventStreamRetention).toBe(config.sharedState.eventStreamRetention);
    expect({ ...started, rateLimit: config.rateLimit, sharedState: config.sharedState }).toEqual(config);
    expect(Object.isFrozen(started)).toBe(true);
  });

  it('is tuned when LAB_MODE_SCALE_OUT is unset', () => {
    const config = loadConfig(env);
    expect(scaleOutStartConfig(config, loadLabConfig({}))).toBe(config);
  });
});
