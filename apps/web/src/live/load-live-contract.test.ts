import { describe, expect, it } from 'vitest';
import { setActiveApiVersion } from '../api/versions/active-api-version';
import type { ApiVersionModule } from '../api/versions/orders-api';
import { liveContract } from './live-contract';
import { loadLiveContract } from './load-live-contract';

describe('loadLiveContract', () => {
  it('waits for the tab’s API version, then gives what the live channels read from the contract', async () => {
    let resolved = false;
    const loading = loadLiveContract().then((contract) => {
      resolved = true;
      return contract;
    });
    await new Promise((done) => setTimeout(done, 50));
    expect(resolved).toBe(false);

    setActiveApiVersion({
      module: { apiVersion: 'v1', ordersApi: {} } as ApiVersionModule,
      discovery: { source: 'fallback', version: 'v1', problem: 'no answer', canary: { kind: 'none' } },
    });
    expect(await loading).toBe(liveContract);
    expect(loadLiveContract()).toBe(loadLiveContract());
  });
});

describe('liveContract', () => {
  it('has the channels’ paths and listens to every event type of the contract', () => {
    expect(liveContract.events.path).toBe('/api/v1/events');
    expect(liveContract.socket.path).toBe('/api/v1/ws');
    expect([...liveContract.events.types].sort()).toEqual([
      'generator.tick',
      'order.created',
      'order.status_changed',
      'stream.reset',
    ]);
  });
});
