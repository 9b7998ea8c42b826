import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../server/config';
import { configBlock } from '../../server/config-block';
import { contentSecurityPolicy } from '../../server/content-security-policy';
import { Config } from '../config';
import { CONFIG_BLOCK_ID, type ConfigBlockRoot, readConfigBlock } from '../read-config-block';
import { LabsConfig } from './labs-config';

/** The page's config block as the SPA finds it, from the server's config for `env`. */
function pageFor(env: Record<string, string>): ConfigBlockRoot {
  const text = configBlock(loadServerConfig(env).runtime).replace(/^<script[^>]*>|<\/script>$/g, '');
  return {
    getElementById: (id: string) => (id === CONFIG_BLOCK_ID ? { textContent: text } : null),
  } as unknown as ConfigBlockRoot;
}

describe('the lab layer’s settings, from the web server to the tab', () => {
  it('with WEB_LABS_ENABLED=true: the flag, the HTTP/1.1 listener and the docs URL reach the page', () => {
    const page = pageFor({
      WEB_LABS_ENABLED: 'true',
      WEB_API_H1_URL: 'https://api.example.test:8444',
      WEB_DOCS_URL: 'https://example.test/blob/main/',
    });
    expect(readConfigBlock(Config, page).labs).toBe(true);
    expect(readConfigBlock(LabsConfig, page)).toEqual({
      apiH1Url: 'https://api.example.test:8444',
      docsUrl: 'https://example.test/blob/main',
    });
  });

  it('off (the default): the page says labs are off and carries none of the lab layer’s keys', () => {
    const runtime = loadServerConfig({ WEB_API_H1_URL: 'https://api.example.test:8444' }).runtime;
    expect(runtime).toEqual({ apiUrl: 'https://localhost:8443', rum: true, labs: false });
    expect(readConfigBlock(Config, pageFor({})).labs).toBe(false);
  });

  it('lets the tab connect to the HTTP/1.1 listener only when labs are on', () => {
    const on = loadServerConfig({ WEB_LABS_ENABLED: 'true', WEB_API_H1_URL: 'https://localhost:8444' });
    expect(contentSecurityPolicy(on.apiOrigins)).toContain(
      "connect-src 'self' https://localhost:8443 wss://localhost:8443 https://localhost:8444 wss://localhost:8444",
    );
    const off = loadServerConfig({ WEB_API_H1_URL: 'https://localhost:8444' });
    expect(contentSecurityPolicy(off.apiOrigins)).not.toContain('8444');
  });

  it('refuses the build-time variables they replaced', () => {
    expect(() => loadServerConfig({ VITE_LABS_ENABLED: 'true' })).toThrow(/set WEB_LABS_ENABLED/);
    expect(() => loadServerConfig({ VITE_API_H1_URL: 'https://x.test' })).toThrow(/set WEB_API_H1_URL/);
    expect(() => loadServerConfig({ WEB_LABS_ENABLED: 'on' })).toThrow(/WEB_LABS_ENABLED="on"/);
  });
});
