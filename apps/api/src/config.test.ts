import { DEADLINES } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: 'localhost',
      port: 8443,
      corsOrigins: ['https://localhost:5173'],
      database: { url: undefined, poolMax: 10, seedOrders: 10_000 },
      logLevel: 'info',
      bodyLimitBytes: 65_536,
      shutdownTimeoutMs: 10_000,
      shutdownDrainMs: 0,
      tls: { certFile: undefined, keyFile: undefined },
    });
    expect(config.database.pgliteDataDir).toMatch(/[\\/]\.data[\\/]pglite$/);
    expect(config.tls.devCertDir).toMatch(/[\\/]\.certs[\\/]?$/);
  });

  it('reads every variable and treats blank values as unset', () => {
    const config = loadConfig({
      API_HOST: '0.0.0.0',
      API_PORT: '9443',
      CORS_ORIGINS: 'https://localhost:5173, https://app.example:8080',
      DATABASE_URL: 'postgres://tandem:secret@127.0.0.1:5432/tandem',
      PGLITE_DATA_DIR: '/tmp/tandem-db',
      SEED_ORDERS: '0',
      DB_POOL_MAX: '3',
      LOG_LEVEL: '',
      BODY_LIMIT_BYTES: '1024',
      SHUTDOWN_TIMEOUT_MS: '500',
      SHUTDOWN_DRAIN_MS: '5000',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9443,
      corsOrigins: ['https://localhost:5173', 'https://app.example:8080'],
      database: { url: 'postgres://tandem:secret@127.0.0.1:5432/tandem', pgliteDataDir: '/tmp/tandem-db', poolMax: 3 },
      logLevel: 'info',
      bodyLimitBytes: 1024,
      shutdownTimeoutMs: 500,
      shutdownDrainMs: 5000,
    });
    expect(config.database.seedOrders).toBe(0);
  });

  it('reads CORS_ORIGINS=none as no cross-origin caller at all', () => {
    expect(loadConfig({ CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: ' none ' }).corsOrigins).toEqual([]);
  });

  it('gives the live-connection and admin defaults: no admin token', () => {
    expect(loadConfig({})).toMatchObject({
      h1Port: 8444,
      adminToken: undefined,
      live: {
        wsPingIntervalMs: 30_000,
        wsPongTimeoutMs: 10_000,
        sseHeartbeatMs: 15_000,
        h2PingIntervalMs: 30_000,
        tcpKeepaliveMs: 45_000,
        eventReplaySize: 1000,
        sseRetryMs: 3000,
      },
    });
  });

  it('reads ADMIN_TOKEN and the live-connection variables', () => {
    const config = loadConfig({
      API_H1_PORT: '0',
      ADMIN_TOKEN: 's3cret',
      WS_PING_INTERVAL_MS: '500',
      EVENT_REPLAY_SIZE: '10',
    });
    expect(config).toMatchObject({
      h1Port: 0,
      adminToken: 's3cret',
      live: { wsPingIntervalMs: 500, eventReplaySize: 10 },
    });
  });

  it('refuses the renamed LAB_ADMIN_TOKEN, naming ADMIN_TOKEN, rather than run without administration', () => {
    expect(() => loadConfig({ LAB_ADMIN_TOKEN: 's3cret' })).toThrow(
      /LAB_ADMIN_TOKEN="s3cret": was renamed: set ADMIN_TOKEN/,
    );
    expect(loadConfig({ LAB_ADMIN_TOKEN: '' }).adminToken).toBeUndefined();
  });

  it('reads METRICS_ENABLED as true or false and refuses anything else', () => {
    expect(loadConfig({}).metricsEnabled).toBe(true);
    expect(loadConfig({ METRICS_ENABLED: 'false' }).metricsEnabled).toBe(false);
    expect(loadConfig({ METRICS_ENABLED: 'true' }).metricsEnabled).toBe(true);
    expect(() => loadConfig({ METRICS_ENABLED: 'off' })).toThrow(/METRICS_ENABLED="off"/);
  });

  it('reads SECURITY_HEADERS as true (the default) or false and refuses anything else', () => {
    expect(loadConfig({}).securityHeaders).toBe(true);
    expect(loadConfig({ SECURITY_HEADERS: '' }).securityHeaders).toBe(true);
    expect(loadConfig({ SECURITY_HEADERS: 'false' }).securityHeaders).toBe(false);
    expect(() => loadConfig({ SECURITY_HEADERS: 'no' })).toThrow(/SECURITY_HEADERS="no"/);
  });

  it('is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.corsOrigins)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
  });

  it('names every bad variable in one error', () => {
    const attempt = () =>
      loadConfig({
        API_PORT: 'eighty',
        CORS_ORIGINS: 'https://localhost:5173/, *',
        DATABASE_URL: 'mysql://nope',
        LOG_LEVEL: 'loud',
        SEED_ORDERS: '-1',
      });
    expect(attempt).toThrow(ConfigError);
    let message = '';
    try {
      attempt();
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['API_PORT', 'CORS_ORIGINS', 'DATABASE_URL', 'LOG_LEVEL', 'SEED_ORDERS']) {
      expect(message).toContain(`${name}=`);
    }
  });
});

describe('deadline settings', () => {
  it('default to the contract’s DEADLINES', () => {
    expect(loadConfig({})).toMatchObject({
      deadlines: { defaultMs: DEADLINES.serverDefaultMs, maxMs: DEADLINES.serverMaxMs },
    });
  });

  it('read REQUEST_TIMEOUT_DEFAULT_MS and REQUEST_TIMEOUT_MAX_MS', () => {
    expect(loadConfig({ REQUEST_TIMEOUT_DEFAULT_MS: '800', REQUEST_TIMEOUT_MAX_MS: '2000' })).toMatchObject({
      deadlines: { defaultMs: 800, maxMs: 2000 },
    });
  });

  it('refuse a default above the maximum, naming the variable', () => {
    expect(() => loadConfig({ REQUEST_TIMEOUT_DEFAULT_MS: '5000', REQUEST_TIMEOUT_MAX_MS: '1000' })).toThrow(
      /REQUEST_TIMEOUT_DEFAULT_MS="5000": must not exceed REQUEST_TIMEOUT_MAX_MS/,
    );
    expect(() => loadConfig({ REQUEST_TIMEOUT_MAX_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MAX_MS/);
  });
});

describe('v2 rollout settings', () => {
  it('default to v2 enabled with no client on it', () => {
    expect(loadConfig({}).apiV2).toEqual({ enabled: true, share: 0 });
  });

  it('read API_V2_ENABLED and API_V2_SHARE', () => {
    expect(loadConfig({ API_V2_ENABLED: 'false', API_V2_SHARE: '25' }).apiV2).toEqual({ enabled: false, share: 25 });
  });

  it.each([
    ['API_V2_SHARE', '101'],
    ['API_V2_SHARE', '12.5'],
    ['API_V2_SHARE', 'half'],
    ['API_V2_ENABLED', 'no'],
  ])('refuse %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}="${value.replace('.', '\\.')}"`));
  });
});

describe('shared state settings', () => {
  it('default to this process alone, and read the Redis settings', () => {
    expect(loadConfig({}).sharedState).toEqual({
      redisUrl: undefined,
      eventStreamRetention: 10_000,
      presenceHeartbeatMs: 5000,
    });
    expect(
      loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', EVENT_STREAM_RETENTION: '500', PRESENCE_HEARTBEAT_MS: '250' })
        .sharedState,
    ).toEqual({ redisUrl: 'redis://127.0.0.1:6379', eventStreamRetention: 500, presenceHeartbeatMs: 250 });
  });

  it.each([
    ['EVENT_STREAM_RETENTION', '0'],
    ['EVENT_STREAM_RETENTION', 'lots'],
    ['PRESENCE_HEARTBEAT_MS', '10'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
  ])('refuse %s=%s, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}="${value}"`));
  });
});
