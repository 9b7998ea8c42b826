import { ConfigError } from '@tandem/server-kit';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from './config.js';

describe('the web server config', () => {
  it('has a default for everything: the product against the local API, RUM on, no lab layer', () => {
    const config = loadServerConfig({});
    expect(config).toMatchObject({ host: 'localhost', port: 5173, logLevel: 'info' });
    expect(config.distDir).toMatch(/apps[\\/]web[\\/]dist$/);
    expect(config.runtime).toMatchObject({ apiUrl: 'https://localhost:8443', rum: true });
    expect(config.apiOrigins).toEqual(['https://localhost:8443', 'wss://localhost:8443']);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the SPA’s settings from WEB_* variables', () => {
    const config = loadServerConfig({ WEB_API_URL: 'https://api.example.test', WEB_RUM_ENABLED: 'false' });
    expect(config.runtime).toMatchObject({ apiUrl: 'https://api.example.test', rum: false });
    expect(config.apiOrigins).toEqual(['https://api.example.test', 'wss://api.example.test']);
  });

  it('treats a blank variable as unset', () => {
    expect(loadServerConfig({ WEB_PORT: '', WEB_API_URL: ' ' })).toMatchObject({
      port: 5173,
      runtime: { apiUrl: 'https://localhost:8443' },
    });
  });

  it('refuses bad values, naming every bad variable and its value at once', () => {
    const load = () =>
      loadServerConfig({
        WEB_PORT: '70000',
        WEB_API_URL: 'https://api.example.test/api/',
        WEB_RUM_ENABLED: 'yes',
        WEB_LOG_LEVEL: 'loud',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/WEB_PORT="70000"/);
    expect(load).toThrow(/WEB_API_URL="https:\/\/api\.example\.test\/api\/": an origin is scheme:\/\/host\[:port\]/);
    expect(load).toThrow(/WEB_RUM_ENABLED="yes"/);
    expect(load).toThrow(/WEB_LOG_LEVEL="loud"/);
  });

  it('refuses the build-time variables it replaced, saying which one to set', () => {
    expect(() => loadServerConfig({ VITE_API_URL: 'https://api.example.test' })).toThrow(
      /VITE_API_URL="https:\/\/api\.example\.test": was renamed: set WEB_API_URL/,
    );
    expect(() => loadServerConfig({ VITE_RUM: 'false' })).toThrow(/set WEB_RUM_ENABLED/);
  });
});
