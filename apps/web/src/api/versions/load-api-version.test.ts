import { describe, expect, it } from 'vitest';
import { loadApiVersion } from './load-api-version';
import * as v1 from './v1/index';
import * as v2 from './v2/index';

describe('loadApiVersion', () => {
  it('loads the v2 module for v2', async () => {
    const module = await loadApiVersion('v2');
    expect(module.apiVersion).toBe('v2');
    expect(module.ordersApi).toBe(v2.ordersApi);
  });

  it('loads the v1 module for v1', async () => {
    const module = await loadApiVersion('v1');
    expect(module.apiVersion).toBe('v1');
    expect(module.ordersApi).toBe(v1.ordersApi);
    expect(module.ordersApi).not.toBe(v2.ordersApi);
  });
});
