import { describe, expect, it } from 'vitest';
import { isClientRoute } from './client-route.js';

describe('isClientRoute', () => {
  it('is a page of the SPA when the last segment has no extension', () => {
    for (const path of ['/', '/orders', '/orders/0a1b2c3d', '/orders/new', '/customers/', '/customers/report']) {
      expect(isClientRoute(path), path).toBe(true);
    }
  });

  it('is a missing file when it has an extension or lives under assets/', () => {
    for (const path of ['/missing.js', '/assets/index-abc.js', '/assets/chunk', '/assets', '/robots.txt']) {
      expect(isClientRoute(path), path).toBe(false);
    }
  });
});
