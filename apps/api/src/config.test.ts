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
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9443,
      corsOrigins: ['https://localhost:5173', 'https://app.example:8080'],
      database: { url: 'postgres://tandem:secret@127.0.0.1:5432/tandem', pgliteDataDir: '/tmp/tandem-db', poolMax: 3 },
      logLevel: 'info',
      bodyLimitBytes: 1024,
      shutdownTimeoutMs: 500,
    });
    expect(config.database.seedOrders).toBe(0);
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
